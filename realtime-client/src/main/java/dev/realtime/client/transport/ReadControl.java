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
 * Stops and restarts the reading of one transport, so that a listener that falls behind
 * slows the peer (TCP back-pressure) without holding the thread that reads: while reading
 * is paused, the transport reads nothing from its socket, and the peer's writes stop once
 * the socket's buffers are full.
 *
 * @author Realtime team
 * @see TransportListener#onOpen(ReadControl)
 */
public interface ReadControl {

	/**
	 * A control for a transport that cannot stop reading: {@link #pause()} returns
	 * {@code false}, so the listener slows the reader by blocking in
	 * {@link TransportListener#onFrame(String)} instead.
	 */
	ReadControl NONE = new ReadControl() {

		@Override
		public boolean pause() {
			return false;
		}

		@Override
		public void resume() {
		}

	};

	/**
	 * Stop reading once the frame being handled has been handled: no frame arrives until
	 * {@link #resume()}. Called only from inside
	 * {@link TransportListener#onFrame(String)}; never blocks.
	 * @return whether reading stops; if not, the listener must block in {@code onFrame}
	 * to slow the reader
	 */
	boolean pause();

	/**
	 * Read again after a {@link #pause()} that returned {@code true}. Does nothing if
	 * reading is not paused: a transport that closes resumes reading itself, so that it
	 * hears the peer's answer to its close frame, and a resume after that changes
	 * nothing. Called on any thread, the connection's actor included: returns at once,
	 * and reading continues on another thread.
	 */
	void resume();

}
