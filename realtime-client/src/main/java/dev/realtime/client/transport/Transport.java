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
	 * Send a text frame. Never blocks: the frame joins a buffer bounded in bytes and is
	 * written after the frames before it, off the caller's thread. If the frame does not
	 * fit, or a write does not complete within the send time limit, or a write fails, the
	 * transport ends: its socket is closed and the end is reported once through
	 * {@link TransportListener#onClosed(String)}, never from inside this method. Frames
	 * accepted but not yet written when the transport ends are lost.
	 * @param frame the frame
	 * @return {@code false} if the transport is not open or has ended, including when
	 * this frame ended it, in which case nothing was sent
	 */
	boolean send(String frame);

	/**
	 * Send a text frame whose size the caller has counted, as {@link #send(String)} does.
	 * @param frame the frame
	 * @param bytes the size of the frame in UTF-8, as
	 * {@link dev.realtime.client.protocol.Utf8#encodedLength} counts it
	 * @return {@code false} if the transport is not open or has ended, including when
	 * this frame ended it, in which case nothing was sent
	 */
	default boolean send(String frame, long bytes) {
		return send(frame);
	}

	/**
	 * Return the size up to which a frame is written with one socket write. A frame that
	 * takes several writes can stall for the peer's delayed TCP acknowledgement (Nagle's
	 * algorithm holds its rest back while the peer waits for it), so a sender that can
	 * choose how large its frames are keeps them within this size.
	 * @return the size in bytes, headers excluded; {@code 0} if unknown
	 */
	default long singleWriteFrameSize() {
		return 0;
	}

	/**
	 * Close the transport. Never blocks: frames not yet written are discarded and the
	 * close handshake runs off the caller's thread, bounded in time; if the listener
	 * paused reading, the transport reads again to hear the end of the handshake, and
	 * discards the frames that come before it. Idempotent; the listener is not called
	 * once this method has returned, except for a call already under way on another
	 * thread.
	 */
	void close();

}
