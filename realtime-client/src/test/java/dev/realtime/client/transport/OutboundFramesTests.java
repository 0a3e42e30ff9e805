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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.realtime.client.protocol.Utf8;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbound buffer's own logic, with a writer, an executor, a watchdog timer and a
 * clock driven by the test.
 */
class OutboundFramesTests {

	private static final Duration SEND_TIME_LIMIT = Duration.ofSeconds(1);

	private final ManualExecutor executor = new ManualExecutor();

	private final ManualTimeouts timeouts = new ManualTimeouts();

	private final AtomicLong nanoTime = new AtomicLong(1_000_000);

	private final RecordingWriter writer = new RecordingWriter();

	private final List<String> failures = new ArrayList<>();

	/** What the writer records for a flush. */
	private static final String FLUSH = "<flush>";

	@Nested
	class Writing {

		@Test
		void offerReturnsAtOnceAndTheFrameIsWrittenOnTheExecutor() {
			OutboundFrames frames = frames(1024);
			assertThat(frames.offer("a")).isTrue();
			assertThat(writer.started).isEmpty();
			executor.runAll();
			assertThat(writer.started).containsExactly("a");
		}

		@Test
		void framesAreWrittenInOrderOneAtATime() {
			OutboundFrames frames = frames(1024);
			frames.offer("a");
			frames.offer("b");
			executor.runAll();
			frames.offer("c");
			executor.runAll();
			assertThat(writer.started).as("waits for the write under way").containsExactly("a");
			writer.completeNext(null);
			executor.runAll();
			assertThat(writer.started).containsExactly("a", "b");
			writer.completeNext(null);
			executor.runAll();
			writer.completeNext(null);
			executor.runAll();
			assertThat(writer.started).containsExactly("a", "b", "c");
			assertThat(frames.bufferedBytes()).isZero();
		}

		@Test
		void aWriterThatCompletesAtOnceWritesEverythingInOneDrainWithoutGrowingTheStack() {
			writer.completeAtOnce = true;
			OutboundFrames frames = frames(Long.MAX_VALUE);
			for (int i = 0; i < 100_000; i++) {
				frames.offer(Integer.toString(i));
			}
			assertThat(executor.tasks).hasSize(1);
			executor.runAll();
			assertThat(writer.started).hasSize(100_000).startsWith("0", "1", "2").endsWith("99999");
			assertThat(executor.tasks).isEmpty();
			assertThat(failures).isEmpty();
		}

		@Test
		void aWriteThatCompletesOnAnotherThreadContinuesOnTheExecutor() {
			OutboundFrames frames = frames(1024);
			frames.offer("a");
			frames.offer("b");
			executor.runAll();
			writer.completeNext(null);
			assertThat(writer.started).as("not written by the thread that completed").containsExactly("a");
			executor.runAll();
			assertThat(writer.started).containsExactly("a", "b");
		}

		@Test
		void aWriterThatThrowsFailsTheWrite() {
			OutboundFrames frames = frames(1024);
			writer.throwOnWrite = new IllegalStateException("session closed");
			frames.offer("a");
			executor.runAll();
			assertThat(failures).containsExactly("send failed: session closed");
		}

		@Test
		void aFailedWriteIsReportedOnceAndStopsTheBuffer() {
			OutboundFrames frames = frames(1024);
			frames.offer("a");
			frames.offer("b");
			executor.runAll();
			writer.completeNext(new IOException("Broken pipe"));
			executor.runAll();
			assertThat(failures).containsExactly("send failed: Broken pipe");
			assertThat(writer.started).containsExactly("a");
			assertThat(frames.offer("c")).isFalse();
			assertThat(failures).hasSize(1);
		}

	}

	@Nested
	class ByteBound {

		@Test
		void aFrameThatDoesNotFitStopsTheBufferAndIsReportedOnce() {
			OutboundFrames frames = frames(100);
			assertThat(frames.offer("x".repeat(40))).isTrue();
			assertThat(frames.offer("x".repeat(40))).isTrue();
			assertThat(frames.offer("x".repeat(40))).isFalse();
			assertThat(failures).containsExactly("send buffer full: 80 bytes waiting (limit 100), 40 more offered");
			assertThat(frames.offer("x")).isFalse();
			executor.runAll();
			assertThat(writer.started).as("waiting frames are discarded").isEmpty();
			assertThat(failures).hasSize(1);
		}

		@Test
		void theFrameBeingWrittenCountsUntilItIsWritten() {
			OutboundFrames frames = frames(100);
			frames.offer("x".repeat(60));
			executor.runAll();
			assertThat(frames.bufferedBytes()).isEqualTo(60);
			assertThat(frames.offer("x".repeat(60))).isFalse();
			assertThat(failures).singleElement().asString().startsWith("send buffer full: 60 bytes waiting");
		}

		@Test
		void writtenFramesMakeRoom() {
			OutboundFrames frames = frames(100);
			frames.offer("x".repeat(60));
			executor.runAll();
			writer.completeNext(null);
			assertThat(frames.offer("x".repeat(60))).isTrue();
			assertThat(failures).isEmpty();
		}

		@Test
		void aFrameLargerThanTheLimitIsAcceptedWhenNothingWaits() {
			OutboundFrames frames = frames(100);
			assertThat(frames.offer("x".repeat(500))).isTrue();
			assertThat(frames.offer("x")).isFalse();
		}

		@Test
		void bytesAreCountedInUtf8() {
			assertThat(Utf8.encodedLength("abc")).isEqualTo(3);
			assertThat(Utf8.encodedLength("é")).isEqualTo(2);
			assertThat(Utf8.encodedLength("€")).isEqualTo(3);
			assertThat(Utf8.encodedLength("😀")).isEqualTo(4);
			String mixed = "a é € 😀";
			assertThat(Utf8.encodedLength(mixed)).isEqualTo(mixed.getBytes(StandardCharsets.UTF_8).length);
		}

	}

	@Nested
	class Batching {

		/** What one frame of one character takes in a batch, its header included. */
		private static final long ONE_CHARACTER = 1 + OutboundFrames.FrameWriter.MAX_HEADER;

		@Test
		void theFramesWaitingAreWrittenAndThenFlushedOnce() {
			OutboundFrames frames = batching(1024);
			frames.offer("a");
			frames.offer("b");
			frames.offer("c");
			executor.runAll();
			assertThat(writer.started).containsExactly("a", "b", "c", FLUSH);
			frames.offer("d");
			executor.runAll();
			assertThat(writer.started).containsExactly("a", "b", "c", FLUSH, "d", FLUSH);
			assertThat(frames.bufferedBytes()).isZero();
		}

		@Test
		void aFrameThatWouldNotFitInTheBatchIsWrittenAfterAFlush() {
			OutboundFrames frames = batching(2 * ONE_CHARACTER);
			frames.offer("a");
			frames.offer("b");
			frames.offer("c");
			executor.runAll();
			assertThat(writer.started).containsExactly("a", "b", FLUSH, "c", FLUSH);
		}

		@Test
		void aFrameLargerThanTheBatchIsFlushedByItself() {
			OutboundFrames frames = batching(2 * ONE_CHARACTER);
			frames.offer("a");
			frames.offer("large");
			frames.offer("b");
			executor.runAll();
			assertThat(writer.started).containsExactly("a", FLUSH, "large", FLUSH, "b", FLUSH);
		}

		@Test
		void aFlushThatFailsStopsTheBuffer() {
			OutboundFrames frames = flushingAfterOneFrame();
			writer.completeNext(new IOException("Broken pipe"));
			assertThat(failures).containsExactly("send failed: Broken pipe");
			assertThat(frames.offer("b")).isFalse();
		}

		@Test
		void aStuckFlushIsReportedByTheWatchdogAtTheLimit() {
			OutboundFrames frames = flushingAfterOneFrame();
			advance(SEND_TIME_LIMIT);
			timeouts.runDue();
			assertThat(failures).containsExactly("send did not complete within 1000 ms");
		}

		/**
		 * Frames whose writes complete at once, written in batches of the given size.
		 */
		private OutboundFrames batching(long batchSize) {
			writer.batchSize = batchSize;
			writer.completeAtOnce = true;
			return frames(1024);
		}

		/**
		 * Frames with one frame written and its batch's flush started, not completed.
		 */
		private OutboundFrames flushingAfterOneFrame() {
			writer.batchSize = 1024;
			OutboundFrames frames = frames(1024);
			frames.offer("a");
			executor.runAll();
			writer.completeNext(null);
			executor.runAll();
			assertThat(writer.started).containsExactly("a", FLUSH);
			return frames;
		}

	}

	@Nested
	class TimeLimit {

		@Test
		void aStuckWriteIsReportedByTheWatchdogAtTheLimit() {
			OutboundFrames frames = frames(1024);
			frames.offer("a");
			executor.runAll();
			assertThat(timeouts.pending).singleElement()
				.extracting(Scheduled::delayNanos)
				.isEqualTo(SEND_TIME_LIMIT.toNanos());
			advance(SEND_TIME_LIMIT);
			timeouts.runDue();
			assertThat(failures).containsExactly("send did not complete within 1000 ms");
			writer.completeNext(new IOException("Socket closed"));
			executor.runAll();
			assertThat(failures).as("reported once").hasSize(1);
		}

		@Test
		void anOverdueWriteIsReportedWhenTheNextFrameIsOffered() {
			OutboundFrames frames = frames(1024);
			frames.offer("a");
			executor.runAll();
			advance(SEND_TIME_LIMIT);
			assertThat(frames.offer("b")).isFalse();
			assertThat(failures).containsExactly("send did not complete within 1000 ms");
			timeouts.runDue();
			assertThat(failures).hasSize(1);
		}

		@Test
		void aWriteThatFailsPastTheLimitIsReportedAsTooSlow() {
			OutboundFrames frames = frames(1024);
			frames.offer("a");
			executor.runAll();
			advance(SEND_TIME_LIMIT.plusMillis(5));
			writer.completeNext(new IOException("java.util.concurrent.TimeoutException"));
			assertThat(failures).containsExactly("send did not complete within 1000 ms");
		}

		@Test
		void theWatchdogFollowsTheWriteUnderWayWithoutATimerPerFrame() {
			OutboundFrames frames = frames(1024);
			for (int i = 0; i < 10; i++) {
				frames.offer("frame " + i);
			}
			executor.runAll();
			for (int i = 0; i < 9; i++) {
				advance(Duration.ofMillis(100));
				writer.completeNext(null);
				executor.runAll();
			}
			assertThat(timeouts.scheduled).as("one watchdog for ten writes").isEqualTo(1);
			advance(Duration.ofMillis(200));
			timeouts.runDue();
			assertThat(failures).as("the last write started 200 ms ago").isEmpty();
			assertThat(timeouts.pending).singleElement()
				.extracting(Scheduled::delayNanos)
				.isEqualTo(Duration.ofMillis(800).toNanos());
			advance(Duration.ofMillis(800));
			timeouts.runDue();
			assertThat(failures).containsExactly("send did not complete within 1000 ms");
		}

		@Test
		void theWatchdogStandsDownWhenNothingIsBeingWritten() {
			OutboundFrames frames = frames(1024);
			frames.offer("a");
			executor.runAll();
			writer.completeNext(null);
			advance(SEND_TIME_LIMIT.multipliedBy(5));
			timeouts.runDue();
			assertThat(timeouts.pending).isEmpty();
			assertThat(failures).isEmpty();
			frames.offer("b");
			executor.runAll();
			assertThat(timeouts.pending).hasSize(1);
		}

	}

	@Nested
	class Stopping {

		@Test
		void stopDiscardsWaitingFramesAndReportsNothing() {
			OutboundFrames frames = frames(1024);
			frames.offer("a");
			frames.offer("b");
			executor.runAll();
			frames.stop();
			writer.completeNext(new IOException("Socket closed"));
			executor.runAll();
			advance(SEND_TIME_LIMIT);
			timeouts.runDue();
			assertThat(writer.started).containsExactly("a");
			assertThat(frames.offer("c")).isFalse();
			assertThat(frames.bufferedBytes()).isZero();
			assertThat(failures).isEmpty();
		}

	}

	private OutboundFrames frames(long bufferSizeLimit) {
		return new OutboundFrames(this.writer, this.executor, this.timeouts, this.nanoTime::get, bufferSizeLimit,
				SEND_TIME_LIMIT, this.failures::add);
	}

	private void advance(Duration duration) {
		this.nanoTime.addAndGet(duration.toNanos());
	}

	private static final class RecordingWriter implements OutboundFrames.FrameWriter {

		private final List<String> started = new ArrayList<>();

		private final Deque<Consumer<@Nullable Throwable>> completions = new ArrayDeque<>();

		private boolean completeAtOnce;

		private long batchSize;

		private @Nullable RuntimeException throwOnWrite;

		@Override
		public void write(String frame, Consumer<@Nullable Throwable> completion) {
			if (this.throwOnWrite != null) {
				throw this.throwOnWrite;
			}
			this.started.add(frame);
			if (this.completeAtOnce) {
				completion.accept(null);
			}
			else {
				this.completions.add(completion);
			}
		}

		@Override
		public long batchSize() {
			return this.batchSize;
		}

		@Override
		public void flush(Consumer<@Nullable Throwable> completion) {
			write(FLUSH, completion);
		}

		void completeNext(@Nullable Throwable failure) {
			assertThat(this.completions).as("writes under way").isNotEmpty();
			this.completions.poll().accept(failure);
		}

	}

	private static final class ManualExecutor implements Executor {

		private final Deque<Runnable> tasks = new ArrayDeque<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
		}

		void runAll() {
			while (!this.tasks.isEmpty()) {
				this.tasks.poll().run();
			}
		}

	}

	private final class ManualTimeouts implements OutboundFrames.Timeouts {

		private final List<Scheduled> pending = new ArrayList<>();

		private int scheduled;

		@Override
		public void schedule(Runnable task, long delayNanos) {
			this.scheduled++;
			this.pending.add(new Scheduled(task, delayNanos, OutboundFramesTests.this.nanoTime.get() + delayNanos));
		}

		void runDue() {
			List<Scheduled> due = this.pending.stream()
				.filter((timer) -> timer.at() <= OutboundFramesTests.this.nanoTime.get())
				.toList();
			this.pending.removeAll(due);
			due.forEach((timer) -> timer.task().run());
		}

	}

	private record Scheduled(Runnable task, long delayNanos, long at) {

	}

}
