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

package dev.realtime.benchmarks.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbound side of one socket: frames are buffered and written under one lock, so
 * that the reader thread's replies, another connection's echoes, heartbeats and a burst
 * can share the socket. A write blocks while the client does not read: that is TCP
 * back-pressure, and it slows the writer, never anyone else's socket.
 */
final class Outbound {

	/** The buffer of a new socket: enough for the replies of an idle connection. */
	private static final int INITIAL_BUFFER_SIZE = 4 * 1024;

	/** The buffer of a busy socket, which it grows to each time it fills up. */
	private static final int MAX_BUFFER_SIZE = 64 * 1024;

	private final ReentrantLock lock = new ReentrantLock();

	private final OutputStream output;

	/** Guarded by the lock. */
	private byte[] buffer = new byte[INITIAL_BUFFER_SIZE];

	/** Guarded by the lock. */
	private int count;

	/** Guarded by the lock. */
	private boolean frozen;

	private volatile long lastWrite = System.nanoTime();

	Outbound(OutputStream output) {
		this.output = output;
	}

	/**
	 * Buffer a frame; the caller flushes.
	 * @param frame the encoded frame
	 * @throws IOException if the socket failed
	 */
	void write(byte[] frame) throws IOException {
		this.lock.lock();
		try {
			if (this.frozen) {
				return;
			}
			append(frame, 0, frame.length);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Write a frame and flush.
	 * @param frame the encoded frame
	 * @throws IOException if the socket failed
	 */
	void send(byte[] frame) throws IOException {
		this.lock.lock();
		try {
			if (this.frozen) {
				return;
			}
			append(frame, 0, frame.length);
			flushBuffer();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Write what is buffered.
	 * @throws IOException if the socket failed
	 */
	void flush() throws IOException {
		this.lock.lock();
		try {
			if (this.frozen) {
				return;
			}
			flushBuffer();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Write a run of encoded frames straight to the socket, after what is buffered.
	 * @param frames the frames
	 * @param offset where they start
	 * @param length how many bytes
	 * @throws IOException if the socket failed
	 */
	void writeFrames(byte[] frames, int offset, int length) throws IOException {
		this.lock.lock();
		try {
			if (this.frozen) {
				return;
			}
			flushBuffer();
			this.output.write(frames, offset, length);
			this.lastWrite = System.nanoTime();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Send a frame if nothing was written for the given time and the socket is not busy.
	 * @param frame the frame
	 * @param idleNanos how long the socket must have been idle
	 * @throws IOException if the socket failed
	 */
	void sendIfIdle(byte[] frame, long idleNanos) throws IOException {
		if (System.nanoTime() - this.lastWrite < idleNanos || !this.lock.tryLock()) {
			return;
		}
		try {
			if (this.frozen) {
				return;
			}
			append(frame, 0, frame.length);
			flushBuffer();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Write nothing more, ever: from now on every frame is dropped, as if the link had
	 * frozen. What is buffered is dropped too.
	 */
	void freeze() {
		this.lock.lock();
		try {
			this.frozen = true;
			this.count = 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void append(byte[] bytes, int offset, int length) throws IOException {
		if (length > this.buffer.length - this.count && this.buffer.length < MAX_BUFFER_SIZE) {
			// Filled up: a busy socket, which writes in larger chunks from now on
			int size = this.buffer.length;
			while (size < MAX_BUFFER_SIZE && length > size - this.count) {
				size *= 2;
			}
			this.buffer = Arrays.copyOf(this.buffer, Math.min(size, MAX_BUFFER_SIZE));
		}
		if (length > this.buffer.length - this.count) {
			flushBuffer();
			if (length > this.buffer.length) {
				this.output.write(bytes, offset, length);
				this.lastWrite = System.nanoTime();
				return;
			}
		}
		System.arraycopy(bytes, offset, this.buffer, this.count, length);
		this.count += length;
	}

	private void flushBuffer() throws IOException {
		if (this.count > 0) {
			int length = this.count;
			this.count = 0;
			this.output.write(this.buffer, 0, length);
			this.lastWrite = System.nanoTime();
		}
	}

}
