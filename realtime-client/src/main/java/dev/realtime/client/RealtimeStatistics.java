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

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a connection has done since its client was built, and where it stands: a read-only
 * view for metrics and management endpoints. Every method reads counters or snapshots
 * that the connection publishes as it works, on any thread, without waiting for the
 * connection and without touching the network. Counters only grow.
 * <p>
 * Timed events (the round trip of a ping, the time from publishing a message to its
 * {@code ACK}) are reported to {@link ConnectionTimingListener}s as they happen.
 *
 * @author Realtime team
 * @see RealtimeClient#statistics()
 */
public interface RealtimeStatistics {

	/**
	 * Return how many attempts to open a connection were the first after
	 * {@link RealtimeConnection#connect()} started a new connection.
	 * @return the count
	 */
	long initialAttempts();

	/**
	 * Return how many attempts to open a connection were made again, after an attempt
	 * failed or a connection was lost.
	 * @return the count
	 */
	long reconnectAttempts();

	/**
	 * Return how many times the server accepted a connection that did not ask to resume
	 * or recover one.
	 * @return the count
	 */
	long newConnections();

	/**
	 * Return how many times the server resumed the previous connection, or recovered the
	 * one of a recovery key, with its id, its channels and its unacknowledged messages.
	 * @return the count
	 */
	long resumedConnections();

	/**
	 * Return how many times the client asked to resume or recover a connection and the
	 * server gave it a new one instead, so that messages may have been lost.
	 * @return the count
	 */
	long failedResumes();

	/**
	 * Return how many channel messages arrived in {@code MESSAGE} frames.
	 * @return the count
	 */
	long messagesReceived();

	/**
	 * Return how many channel messages were sent to the server; a message sent again
	 * after a reconnect counts again.
	 * @return the count
	 */
	long messagesSent();

	/**
	 * Return how many bytes of frames arrived (their UTF-8 text).
	 * @return the bytes
	 */
	long bytesReceived();

	/**
	 * Return how many bytes of frames were handed to the transport to send (their UTF-8
	 * text).
	 * @return the bytes
	 */
	long bytesSent();

	/**
	 * Return how many published messages (channel and presence messages) the server
	 * acknowledged.
	 * @return the count
	 */
	long acknowledged();

	/**
	 * Return how many published messages the server refused with a {@code NACK}, or
	 * skipped while acknowledging later ones.
	 * @return the count
	 */
	long refused();

	/**
	 * Return how many publishes were refused at once because the publish queue was full
	 * (its capacity in messages or its size in bytes).
	 * @return the count
	 */
	long queueRejections();

	/**
	 * Return how many queued messages waited longer than the message TTL and were failed
	 * without being sent.
	 * @return the count
	 */
	long queueExpiries();

	/**
	 * Return how many messages wait in the publish queue to be sent.
	 * @return the number of messages
	 */
	int queuedMessages();

	/**
	 * Return how many messages were sent and wait for their {@code ACK} or {@code NACK}.
	 * @return the number of messages
	 */
	int unacknowledgedMessages();

	/**
	 * Return how many bytes of received messages wait for the subscribers of all
	 * channels.
	 * @return the bytes
	 */
	long subscriberBacklog();

	/**
	 * Return how many times the subscribers of a channel stayed behind for longer than
	 * the maximum pause.
	 * @return the count
	 * @see SlowSubscriberListener
	 */
	long slowSubscriberEvents();

	/**
	 * Return how many times the connection stopped reading from the server because it was
	 * behind (its own processing, or the subscribers of a channel holding it back), so
	 * that TCP slowed the server down. Reading resumes once half of what waited has been
	 * handled.
	 * @return the count
	 */
	long inboundPauses();

	/**
	 * Return how many inbound frames, or parts of frames, could not be read as protocol
	 * messages and were ignored.
	 * @return the count
	 * @see RealtimeClient#malformedFrames()
	 */
	long malformedFrames();

	/**
	 * Return how many protocol messages reached no handler and were ignored.
	 * @return the count
	 * @see RealtimeClient#unhandledFrames()
	 */
	long unhandledFrames();

	/**
	 * Return the round-trip time of the latest ping that was answered.
	 * @return the round-trip time, or {@code null} if no ping was answered yet
	 */
	@Nullable Duration lastPingRoundTrip();

	/**
	 * Return a snapshot of each channel of the client.
	 * @return the channels, in no particular order
	 */
	List<ChannelStatistics> channels();

}
