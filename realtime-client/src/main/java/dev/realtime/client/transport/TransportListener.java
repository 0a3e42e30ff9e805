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
 * Receives the events of one {@link Transport}, on the transport's threads, never while
 * it holds a lock.
 * <p>
 * {@link #onOpen(ReadControl)} and {@link #onFrame(String)} are called by one thread at a
 * time, in order: {@code onOpen} first, then each frame in the order it arrived. A
 * listener that cannot keep up slows the peer down (TCP back-pressure) by
 * {@linkplain ReadControl#pause() pausing} the transport's reading, or, where the
 * transport cannot pause, by blocking in {@code onFrame}: while it does, the transport
 * reads nothing more. Sending and closing never wait for a blocked {@code onFrame}.
 * <p>
 * {@link #onClosed(String)} must not block. It may come from another thread while an
 * {@code onFrame} call is still under way, so that a transport whose writes fail reports
 * its end even while its reader is held; a frame delivered concurrently with the end may
 * therefore arrive after {@code onClosed}, and should be ignored.
 *
 * @author Realtime team
 */
public interface TransportListener {

	/**
	 * The WebSocket handshake completed.
	 * @param reading pauses and resumes the transport's reading; {@link ReadControl#NONE}
	 * if the transport cannot pause
	 */
	void onOpen(ReadControl reading);

	/**
	 * A frame arrived. Text carried in binary frames is passed on as text. May block: the
	 * transport reads the next frame once this method returns (or, if it paused reading,
	 * once it resumes).
	 * @param frame the frame
	 */
	void onFrame(String frame);

	/**
	 * A frame arrived that the transport does not accept, such as one larger than its
	 * largest inbound frame. The transport ends after this, with the same reason.
	 * @param reason what was wrong with the frame, for logs and error messages
	 */
	default void onFrameRejected(String reason) {
	}

	/**
	 * The transport failed to open, failed or was closed by the peer. Called at most
	 * once, never from inside {@link Transport#send(String)} or
	 * {@link Transport#close()}, and not once {@code close()} has returned, except for a
	 * call already under way.
	 * @param reason what happened, for logs and error messages
	 */
	void onClosed(String reason);

}
