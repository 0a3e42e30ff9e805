/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.realtime.client;

/**
 * Hears of timed events of a connection, for metrics: the round trip of each answered
 * ping and the time from publishing each message to its {@code ACK}.
 * <p>
 * Called on a lane of their own, never on the connection's thread, in batches: samples
 * wait in a buffer of the connection (8,192 at most; past it, samples are dropped, and
 * the first drop is logged) while a listener is busy. A listener should record the value
 * in a timer or a histogram and return; one that blocks delays only later samples. An
 * exception thrown by a listener is logged and otherwise ignored.
 *
 * @author Realtime team
 * @see RealtimeClient#addTimingListener(ConnectionTimingListener)
 */
public interface ConnectionTimingListener {

	/**
	 * Called when the server acknowledged a published message (a channel or presence
	 * message).
	 * @param latencyNanos the time from the publish to its {@code ACK}, in nanoseconds of
	 * the connection's monotonic ticker; a message that waited for the connection
	 * includes the wait
	 */
	default void onPublishAcknowledged(long latencyNanos) {
	}

	/**
	 * Called when the server answered a ping.
	 * @param roundTripNanos the round-trip time, in nanoseconds of the connection's
	 * monotonic ticker
	 */
	default void onPingRoundTrip(long roundTripNanos) {
	}

}
