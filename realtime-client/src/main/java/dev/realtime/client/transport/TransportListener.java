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
 * Receives the events of one {@link Transport}. Methods are called from the transport's
 * I/O threads, never concurrently for one transport, and must not block.
 *
 * @author Realtime team
 */
public interface TransportListener {

	/**
	 * The WebSocket handshake completed.
	 */
	void onOpen();

	/**
	 * A frame arrived. Text carried in binary frames is passed on as text.
	 * @param frame the frame
	 */
	void onFrame(String frame);

	/**
	 * The transport failed to open, failed or was closed by the peer. Called at most
	 * once, and never after {@link Transport#close()}.
	 * @param reason what happened, for logs and error messages
	 */
	void onClosed(String reason);

}
