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

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.transport.ReadControl;
import org.jspecify.annotations.Nullable;

/**
 * The decoded frames of one transport on their way from its reader to the connection's
 * actor, bounded in frames and in bytes. When the actor falls behind, the queue pauses
 * the transport's reading once it is full and resumes it once it is half empty; where the
 * transport cannot pause, the reader waits here instead. Either way the transport reads
 * nothing more and TCP slows the server, as it would for a plain WebSocket client, and
 * the connection stays up. The actor is never the one to wait.
 * <p>
 * The queue tells its owner when it needs draining: {@link #offer} returns {@code true}
 * for the frame that makes it non-empty while no drain is under way, and the actor
 * {@linkplain #poll() polls} until the queue is empty (which ends the drain) or it
 * chooses to stop (which leaves the drain under way, to be continued later).
 *
 * @author Realtime team
 */
final class InboundFrames {

	private final int maxFrames;

	private final long maxBytes;

	/** Told, on the reader's thread, each time reading pauses or the reader waits. */
	private final Runnable onBackPressure;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notFull = this.lock.newCondition();

	// Guarded by lock

	/** Small until used: most connections are idle most of the time. */
	private final Queue<Frame> frames = new ArrayDeque<>(1);

	private long bytes;

	private boolean draining;

	private boolean closed;

	private boolean ended;

	private ReadControl reading = ReadControl.NONE;

	/** Whether reading is paused: set by the reader, cleared by whoever resumes it. */
	private boolean readingPaused;

	/**
	 * Create a queue.
	 * @param maxFrames how many frames may wait before reading pauses
	 * @param maxBytes how many characters of frames may wait before reading pauses
	 * @param onBackPressure told, on the reader's thread and with a lock held, each time
	 * reading pauses or the reader waits; must not block
	 */
	InboundFrames(int maxFrames, long maxBytes, Runnable onBackPressure) {
		this.maxFrames = maxFrames;
		this.maxBytes = maxBytes;
		this.onBackPressure = onBackPressure;
	}

	/**
	 * Pause and resume the transport's reading through the given control from now on.
	 * Called by the transport's reader before its first frame.
	 * @param reading the transport's control
	 */
	void readWith(ReadControl reading) {
		this.lock.lock();
		try {
			this.reading = reading;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Add a frame, and pause reading if that fills the queue; a reader that cannot pause
	 * waits while the queue is full. Called by the transport's reader.
	 * @param message the decoded frame
	 * @param size the frame's size, in characters
	 * @return whether the caller must start a drain
	 * @throws InterruptedException if the reader is interrupted while it waits
	 */
	boolean offer(ProtocolMessage message, int size) throws InterruptedException {
		this.lock.lock();
		try {
			if (isFull() && !this.closed) {
				this.onBackPressure.run();
				do {
					this.notFull.await();
				}
				while (isFull() && !this.closed);
			}
			if (this.closed) {
				return false;
			}
			this.frames.add(new Frame(message, size, null));
			this.bytes += size;
			// Under the lock, so that no resume can come before the pause it ends
			if (isFull() && !this.readingPaused && this.reading.pause()) {
				this.readingPaused = true;
				this.onBackPressure.run();
			}
			if (this.draining) {
				return false;
			}
			this.draining = true;
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	private boolean isFull() {
		// One frame is always let in, however large, so that a frame above the byte
		// bound cannot wait forever
		return !this.frames.isEmpty() && (this.frames.size() >= this.maxFrames || this.bytes >= this.maxBytes);
	}

	private boolean isHalfEmpty() {
		return this.frames.size() <= this.maxFrames / 2 && this.bytes <= this.maxBytes / 2;
	}

	private void resumeReadingLocked() {
		if (this.readingPaused) {
			this.readingPaused = false;
			this.reading.resume();
		}
	}

	/**
	 * Take the oldest frame. Called by the actor while it drains.
	 * @return the frame, or {@code null} if the queue is empty, which ends the drain
	 */
	@Nullable Frame poll() {
		this.lock.lock();
		try {
			Frame frame = this.frames.poll();
			if (frame == null) {
				this.draining = false;
				return null;
			}
			this.bytes -= frame.size();
			this.notFull.signal();
			if (isHalfEmpty()) {
				resumeReadingLocked();
			}
			return frame;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Add the end of the transport after the frames that came before it, without waiting
	 * for room. Called on any thread, the actor's included. The caller must then make
	 * sure a drain runs, even if one is under way but paused.
	 * @param reason why the transport ended
	 * @return whether the end was added: the transport had not ended and the queue was
	 * not closed
	 */
	boolean end(String reason) {
		this.lock.lock();
		try {
			if (this.closed || this.ended) {
				return false;
			}
			this.ended = true;
			this.frames.add(new Frame(null, 0, reason));
			this.draining = true;
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return whether the transport has ended: no more frames will come.
	 * @return whether the end is queued
	 */
	boolean isEnded() {
		this.lock.lock();
		try {
			return this.ended;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Discard the waiting frames and release a waiting or paused reader; later frames are
	 * refused. Called when the transport is abandoned: reading on lets it hear the end of
	 * its close handshake.
	 */
	void close() {
		this.lock.lock();
		try {
			this.closed = true;
			this.frames.clear();
			this.bytes = 0;
			this.notFull.signalAll();
			resumeReadingLocked();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A decoded frame and its size, or the end of the transport.
	 *
	 * @param message the protocol message, or {@code null} for the end
	 * @param size the frame's size, in characters
	 * @param endReason why the transport ended, or {@code null} for a frame
	 */
	record Frame(@Nullable ProtocolMessage message, int size, @Nullable String endReason) {

	}

}
