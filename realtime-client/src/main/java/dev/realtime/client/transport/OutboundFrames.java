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

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import dev.realtime.client.protocol.Utf8;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * The outbound side of one transport: frames wait in a buffer bounded in bytes and a
 * {@link FrameWriter} writes them one at a time, in order, on an executor's thread, so
 * {@link #offer(String)} never blocks its caller. A writer that batches keeps frames back
 * to write several with one socket write, and flushes them when no frame waits: a burst
 * of publishes costs a few socket writes, a lone frame goes out at once.
 * <p>
 * A frame that does not fit in the buffer, a write that fails, or a write that has not
 * completed within the send time limit stops the buffer, and the failure is reported
 * once. The time limit is checked whenever a frame is offered and by one watchdog per
 * buffer, armed when a write starts and none is armed, and re-armed for the write then in
 * progress when it fires: a stuck write is noticed even when nothing more is sent, with
 * no timer per frame.
 *
 * @author Realtime team
 */
final class OutboundFrames {

	private final FrameWriter writer;

	private final Executor executor;

	private final Timeouts timeouts;

	private final LongSupplier nanoTime;

	private final long bufferSizeLimit;

	private final long sendTimeLimitNanos;

	/** The writer's batch size; {@code 0} if it writes every frame by itself. */
	private final long batchSize;

	private final Consumer<String> onFailure;

	// All fields below are guarded by this.

	/** Frames not yet handed to the writer, oldest first; small until used. */
	private final Deque<Frame> waiting = new ArrayDeque<>(1);

	/** The bytes of the waiting frames and of the frame being written. */
	private long bufferedBytes;

	/** Whether a drain is scheduled, running, or waiting for a write to complete. */
	private boolean draining;

	private @Nullable Frame inProgress;

	/**
	 * The bytes of the frames written since the writer last flushed, their headers
	 * included.
	 */
	private long unflushedBytes;

	private long writeStartedAt;

	private boolean watchdogArmed;

	private boolean stopped;

	/**
	 * Create a buffer.
	 * @param writer writes one frame at a time
	 * @param executor runs the writer, never on the caller of {@link #offer(String)}
	 * @param timeouts runs the watchdog
	 * @param nanoTime the monotonic clock
	 * @param bufferSizeLimit the most bytes that may wait, the frame being written
	 * included
	 * @param sendTimeLimit how long one write may take
	 * @param onFailure told once why the buffer stopped, outside any lock, on the thread
	 * that found out (which may be the caller of {@link #offer(String)}); must not block
	 */
	OutboundFrames(FrameWriter writer, Executor executor, Timeouts timeouts, LongSupplier nanoTime,
			long bufferSizeLimit, Duration sendTimeLimit, Consumer<String> onFailure) {
		this.writer = writer;
		this.executor = executor;
		this.timeouts = timeouts;
		this.nanoTime = nanoTime;
		this.bufferSizeLimit = bufferSizeLimit;
		this.sendTimeLimitNanos = sendTimeLimit.toNanos();
		this.batchSize = writer.batchSize();
		this.onFailure = onFailure;
	}

	/**
	 * Add a frame to be written after those already waiting. A frame larger than the
	 * limit is accepted when nothing waits, so that no frame is too large to ever be
	 * sent.
	 * @param text the frame
	 * @return whether the frame was accepted; {@code false} once the buffer has stopped,
	 * including when this frame stopped it
	 */
	boolean offer(String text) {
		return offer(text, Utf8.encodedLength(text));
	}

	/**
	 * Add a frame whose size the caller has counted, as {@link #offer(String)} does.
	 * @param text the frame
	 * @param bytes its size in UTF-8
	 * @return whether the frame was accepted
	 */
	boolean offer(String text, long bytes) {
		Frame frame = new Frame(text, bytes);
		String failure = null;
		boolean startDrain = false;
		synchronized (this) {
			if (this.stopped) {
				return false;
			}
			if (this.inProgress != null && this.nanoTime.getAsLong() - this.writeStartedAt >= this.sendTimeLimitNanos) {
				failure = timeLimitExceeded();
			}
			else if (this.bufferedBytes > 0 && this.bufferedBytes + frame.bytes > this.bufferSizeLimit) {
				failure = "send buffer full: " + this.bufferedBytes + " bytes waiting (limit " + this.bufferSizeLimit
						+ "), " + frame.bytes + " more offered";
			}
			if (failure != null) {
				stopLocked();
			}
			else {
				this.waiting.add(frame);
				this.bufferedBytes += frame.bytes;
				startDrain = !this.draining;
				this.draining = true;
			}
		}
		if (failure != null) {
			this.onFailure.accept(failure);
			return false;
		}
		if (startDrain) {
			this.executor.execute(this::drain);
		}
		return true;
	}

	/**
	 * Discard the waiting frames and accept no more; no failure is reported afterwards. A
	 * write under way is not interrupted.
	 */
	synchronized void stop() {
		stopLocked();
	}

	/**
	 * Return the bytes waiting, the frame being written included.
	 * @return the number of bytes
	 */
	synchronized long bufferedBytes() {
		return this.bufferedBytes;
	}

	private void stopLocked() {
		this.stopped = true;
		this.waiting.clear();
		this.bufferedBytes = 0;
		this.inProgress = null;
	}

	/**
	 * Write frames until none waits or a write completes later; its completion then
	 * continues. A write that completes before returning continues in this loop, so a
	 * writer that always completes at once does not grow the stack.
	 */
	private void drain() {
		while (true) {
			Frame frame;
			boolean armWatchdog;
			synchronized (this) {
				frame = flushesFirst(this.waiting.peek()) ? FLUSH : this.waiting.poll();
				if (this.stopped || frame == null) {
					this.draining = false;
					return;
				}
				if (this.batchSize > 0) {
					this.unflushedBytes = (frame != FLUSH) ? this.unflushedBytes + frame.bytes + FrameWriter.MAX_HEADER
							: 0;
				}
				this.inProgress = frame;
				this.writeStartedAt = this.nanoTime.getAsLong();
				armWatchdog = !this.watchdogArmed;
				this.watchdogArmed = true;
			}
			if (armWatchdog) {
				this.timeouts.schedule(this::checkTimeLimit, this.sendTimeLimitNanos);
			}
			Write write = new Write(frame);
			try {
				if (frame == FLUSH) {
					this.writer.flush(write);
				}
				else {
					this.writer.write(frame.text, write);
				}
			}
			catch (RuntimeException ex) {
				write.accept(ex);
			}
			if (!write.completedBeforeReturn() || !written(frame, write.failure)) {
				return;
			}
		}
	}

	/**
	 * Return the size up to which a frame is written with one socket write.
	 * @return the size in bytes, headers excluded; {@code 0} if the writer does not batch
	 */
	long singleWriteFrameSize() {
		return (this.batchSize > 0) ? this.batchSize - FrameWriter.MAX_HEADER : 0;
	}

	/**
	 * Return whether the writer must flush the frames it keeps back before the next frame
	 * is written: when no frame waits, or when the next would not fit in the writer's
	 * batch with them. A frame never straddles two socket writes unless it is larger than
	 * the batch: a peer that waits for the rest of a frame delays its TCP
	 * acknowledgement, and the rest would wait for that acknowledgement (Nagle's
	 * algorithm).
	 */
	private boolean flushesFirst(@Nullable Frame next) {
		if (this.unflushedBytes == 0) {
			return false;
		}
		return next == null || this.unflushedBytes + next.bytes + FrameWriter.MAX_HEADER > this.batchSize;
	}

	/**
	 * Account for a completed write.
	 * @return whether more frames wait, for the caller to write
	 */
	private boolean written(Frame frame, @Nullable Throwable failure) {
		String reason;
		synchronized (this) {
			if (this.stopped || this.inProgress != frame) {
				return false;
			}
			this.inProgress = null;
			if (failure == null) {
				this.bufferedBytes -= frame.bytes;
				if (this.waiting.isEmpty() && this.unflushedBytes == 0) {
					this.draining = false;
					return false;
				}
				return true;
			}
			boolean late = this.nanoTime.getAsLong() - this.writeStartedAt >= this.sendTimeLimitNanos;
			reason = late ? timeLimitExceeded() : "send failed: " + describe(failure);
			stopLocked();
		}
		this.onFailure.accept(reason);
		return false;
	}

	private void checkTimeLimit() {
		long rearmIn;
		synchronized (this) {
			this.watchdogArmed = false;
			if (this.stopped || this.inProgress == null) {
				return;
			}
			long elapsed = this.nanoTime.getAsLong() - this.writeStartedAt;
			if (elapsed >= this.sendTimeLimitNanos) {
				stopLocked();
				rearmIn = -1;
			}
			else {
				this.watchdogArmed = true;
				rearmIn = this.sendTimeLimitNanos - elapsed;
			}
		}
		if (rearmIn < 0) {
			this.onFailure.accept(timeLimitExceeded());
		}
		else {
			this.timeouts.schedule(this::checkTimeLimit, rearmIn);
		}
	}

	private String timeLimitExceeded() {
		return "send did not complete within " + Duration.ofNanos(this.sendTimeLimitNanos).toMillis() + " ms";
	}

	/**
	 * Describe a failure by its most specific cause.
	 * @param failure the failure
	 * @return the description
	 */
	static String describe(Throwable failure) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

	/**
	 * Writes one frame at a time for an {@link OutboundFrames}.
	 */
	@FunctionalInterface
	interface FrameWriter {

		/**
		 * Start writing a text frame. {@code completion} must be called once: with
		 * {@code null} when the frame is written, or with the failure. It may be called
		 * before this method returns, or later from any thread. This method may block its
		 * thread while it writes.
		 * @param frame the frame
		 * @param completion told when the write completed
		 */
		void write(String frame, Consumer<@Nullable Throwable> completion);

		/** The most bytes a WebSocket frame header takes, a client's mask included. */
		int MAX_HEADER = 14;

		/**
		 * Return how many bytes of frames, headers included, this writer may keep back to
		 * write them with one socket write. A larger frame is written by itself.
		 * @return the size of a batch; by default {@code 0}: nothing is kept back
		 */
		default long batchSize() {
			return 0;
		}

		/**
		 * Write the frames that {@link #write} completed but kept back. Called when no
		 * frame waits or before a frame that would not fit in the batch; the same
		 * contract as {@code write} applies to {@code completion}.
		 * @param completion told when the frames are written
		 */
		default void flush(Consumer<@Nullable Throwable> completion) {
			completion.accept(null);
		}

	}

	/**
	 * Runs the watchdog of an {@link OutboundFrames}.
	 */
	@FunctionalInterface
	interface Timeouts {

		/**
		 * Run a short, non-blocking task after a delay.
		 * @param task the task
		 * @param delayNanos the delay in nanoseconds
		 */
		void schedule(Runnable task, long delayNanos);

	}

	/** Stands in the drain loop for a flush of the frames written since the last one. */
	private static final Frame FLUSH = new Frame("", 0);

	private record Frame(String text, long bytes) {

	}

	/**
	 * The completion of one write. Whichever of the drain loop (once the writer returned)
	 * and the completion comes second carries on, so that exactly one of them continues.
	 */
	private final class Write implements Consumer<@Nullable Throwable> {

		private final Frame frame;

		private final AtomicBoolean completed = new AtomicBoolean();

		private final AtomicBoolean handedOver = new AtomicBoolean();

		/** Written before {@link #handedOver} is set, read after. */
		private @Nullable Throwable failure;

		Write(Frame frame) {
			this.frame = frame;
		}

		@Override
		public void accept(@Nullable Throwable failure) {
			if (!this.completed.compareAndSet(false, true)) {
				return;
			}
			this.failure = failure;
			if (!this.handedOver.compareAndSet(false, true) && written(this.frame, failure)) {
				// The drain loop has returned: this completion continues it, on the
				// executor rather than on whichever thread completed the write
				OutboundFrames.this.executor.execute(OutboundFrames.this::drain);
			}
		}

		/**
		 * Called by the drain loop once the writer returned.
		 * @return whether the write had already completed, for the loop to carry on
		 */
		boolean completedBeforeReturn() {
			return !this.handedOver.compareAndSet(false, true);
		}

	}

}
