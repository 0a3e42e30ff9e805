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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.transport.ReadControl;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InboundFrames}.
 */
class InboundFramesTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final AtomicInteger backPressure = new AtomicInteger();

	private final InboundFrames frames = new InboundFrames(2, 1000, this.backPressure::incrementAndGet);

	@Test
	void theFirstFrameStartsADrainAndLaterOnesJoinIt() throws InterruptedException {
		assertThat(this.frames.offer(heartbeat(), 10)).isTrue();
		assertThat(this.frames.offer(heartbeat(), 10)).isFalse();
		assertThat(this.frames.poll()).isNotNull();
		assertThat(this.frames.poll()).isNotNull();
		assertThat(this.frames.poll()).as("empty: the drain ends").isNull();
		assertThat(this.frames.offer(heartbeat(), 10)).as("a new drain").isTrue();
	}

	@Test
	void theReaderWaitsWhileTheQueueIsFullOfFrames() throws InterruptedException {
		this.frames.offer(heartbeat(), 10);
		this.frames.offer(heartbeat(), 10);
		CompletableFuture<Boolean> third = offerInBackground(10);
		assertThat(third).isNotDone();
		this.frames.poll();
		assertThat(third).succeedsWithin(WAIT);
		assertThat(this.backPressure).hasValue(1);
	}

	@Test
	void theReaderWaitsWhileTheQueueIsFullOfBytesButOneLargeFrameIsAlwaysLetIn() throws InterruptedException {
		assertThat(this.frames.offer(heartbeat(), 5000)).isTrue();
		CompletableFuture<Boolean> next = offerInBackground(10);
		assertThat(next).isNotDone();
		this.frames.poll();
		assertThat(next).succeedsWithin(WAIT);
	}

	@Test
	void closingReleasesAWaitingReaderAndRefusesLaterFrames() throws InterruptedException {
		this.frames.offer(heartbeat(), 10);
		this.frames.offer(heartbeat(), 10);
		CompletableFuture<Boolean> waiting = offerInBackground(10);
		this.frames.close();
		assertThat(waiting).succeedsWithin(WAIT).isEqualTo(false);
		assertThat(this.frames.poll()).isNull();
		assertThat(this.frames.end("late")).isFalse();
	}

	@Test
	void theEndIsQueuedAfterTheFramesBeforeItWithoutWaitingForRoom() throws InterruptedException {
		this.frames.offer(heartbeat(), 10);
		this.frames.offer(heartbeat(), 10);
		assertThat(this.frames.end("reset by peer")).isTrue();
		assertThat(this.frames.isEnded()).isTrue();
		assertThat(this.frames.poll().message()).isNotNull();
		assertThat(this.frames.poll().message()).isNotNull();
		InboundFrames.Frame end = this.frames.poll();
		assertThat(end.message()).isNull();
		assertThat(end.endReason()).isEqualTo("reset by peer");
	}

	@Nested
	class WithAReaderThatCanPause {

		private final InboundFrames frames = new InboundFrames(4, 1000, backPressure::incrementAndGet);

		private final RecordingReadControl reading = new RecordingReadControl();

		@BeforeEach
		void readWithControl() {
			this.frames.readWith(this.reading);
		}

		@Test
		void theFrameThatFillsTheQueuePausesReadingInsteadOfMakingTheReaderWait() throws InterruptedException {
			for (int i = 0; i < 3; i++) {
				this.frames.offer(heartbeat(), 10);
			}
			assertThat(this.reading.events).isEmpty();
			this.frames.offer(heartbeat(), 10);
			assertThat(this.reading.events).containsExactly("pause");
			assertThat(backPressure).hasValue(1);
		}

		@Test
		void aFrameAboveTheByteBoundPausesReadingToo() throws InterruptedException {
			this.frames.offer(heartbeat(), 5000);
			assertThat(this.reading.events).containsExactly("pause");
		}

		@Test
		void readingResumesOnceTheQueueIsHalfEmpty() throws InterruptedException {
			for (int i = 0; i < 4; i++) {
				this.frames.offer(heartbeat(), 10);
			}
			this.frames.poll();
			assertThat(this.reading.events).as("three of four frames wait").containsExactly("pause");
			this.frames.poll();
			assertThat(this.reading.events).containsExactly("pause", "resume");
			this.frames.poll();
			this.frames.poll();
			assertThat(this.reading.events).as("resumed once per pause").containsExactly("pause", "resume");
		}

		@Test
		void closingResumesPausedReadingSoThatTheTransportHearsItsEnd() throws InterruptedException {
			for (int i = 0; i < 4; i++) {
				this.frames.offer(heartbeat(), 10);
			}
			this.frames.close();
			assertThat(this.reading.events).containsExactly("pause", "resume");
			assertThat(this.frames.offer(heartbeat(), 10)).isFalse();
		}

		@Test
		void aControlThatCannotPauseLeavesTheReaderToWait() throws InterruptedException {
			this.reading.canPause = false;
			for (int i = 0; i < 4; i++) {
				this.frames.offer(heartbeat(), 10);
			}
			assertThat(this.reading.events).containsExactly("pause refused");
			CompletableFuture<Boolean> fifth = offerInBackground(this.frames, 10);
			assertThat(fifth).isNotDone();
			this.frames.poll();
			assertThat(fifth).succeedsWithin(WAIT);
			assertThat(this.reading.events).doesNotContain("resume");
		}

	}

	private CompletableFuture<Boolean> offerInBackground(int size) {
		return offerInBackground(this.frames, size);
	}

	private static CompletableFuture<Boolean> offerInBackground(InboundFrames frames, int size) {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		Thread reader = new Thread(() -> {
			try {
				result.complete(frames.offer(heartbeat(), size));
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		reader.start();
		// Not done while it waits; a thread that does not wait completes at once
		await(reader);
		return result;
	}

	private static void await(Thread reader) {
		Awaitility.await().atMost(WAIT).until(() -> reader.getState() == Thread.State.WAITING || !reader.isAlive());
	}

	private static ProtocolMessage heartbeat() {
		return new ProtocolMessage(Action.HEARTBEAT);
	}

	private static final class RecordingReadControl implements ReadControl {

		private final List<String> events = new ArrayList<>();

		private boolean canPause = true;

		@Override
		public boolean pause() {
			this.events.add(this.canPause ? "pause" : "pause refused");
			return this.canPause;
		}

		@Override
		public void resume() {
			this.events.add("resume");
		}

	}

}
