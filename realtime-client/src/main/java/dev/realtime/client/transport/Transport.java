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

package dev.realtime.client.transport;

/**
 * One WebSocket connection attempt. A transport has no reconnect logic of its own: it
 * opens once, carries frames, and reports its end once. After {@link #close()} it reports
 * nothing more, and a socket that finishes opening after that is closed at once.
 *
 * @author Realtime team
 * @see TransportFactory
 */
public interface Transport {

	/**
	 * Send a text frame. Sending is asynchronous; a failure closes the transport and is
	 * reported through {@link TransportListener#onClosed(String)}.
	 * @param frame the frame
	 * @return {@code false} if the transport is not open, in which case nothing was sent
	 */
	boolean send(String frame);

	/**
	 * Close the transport. Idempotent; the listener is not called afterwards.
	 */
	void close();

}
