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
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SerialExecutor}.
 */
class SerialExecutorTests {

	@Test
	void runsTasksOneAtATimeInSubmissionOrderOnASharedPool() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			SerialExecutor serial = new SerialExecutor(pool, Integer.MAX_VALUE);
			List<Integer> order = new ArrayList<>(); // unsynchronized on purpose
			AtomicInteger running = new AtomicInteger();
			AtomicInteger overlaps = new AtomicInteger();
			for (int i = 0; i < 10_000; i++) {
				int n = i;
				serial.execute(() -> {
					if (running.incrementAndGet() > 1) {
						overlaps.incrementAndGet();
					}
					order.add(n);
					running.decrementAndGet();
				});
			}
			AtomicInteger done = new AtomicInteger();
			serial.execute(done::incrementAndGet);
			await().until(() -> done.get() == 1);
			assertThat(overlaps).hasValue(0);
			assertThat(order).hasSize(10_000).isSorted();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void refusesPastItsCapacityButAcceptsInternalTasks() {
		List<Runnable> parked = new ArrayList<>();
		SerialExecutor serial = new SerialExecutor(parked::add, 2);
		assertThat(serial.tryExecute(() -> {
		})).isTrue();
		assertThat(serial.tryExecute(() -> {
		})).isTrue();
		assertThat(serial.tryExecute(() -> {
		})).isFalse();
		serial.execute(() -> {
		});
		assertThat(parked).hasSize(1);
		parked.get(0).run();
		assertThat(serial.tryExecute(() -> {
		})).isTrue();
	}

	@Test
	void aFailingTaskDoesNotStopTheNextOnes() {
		List<Runnable> parked = new ArrayList<>();
		SerialExecutor serial = new SerialExecutor(parked::add, 10);
		List<String> ran = new ArrayList<>();
		serial.execute(() -> {
			throw new IllegalStateException("boom");
		});
		serial.execute(() -> ran.add("next"));
		parked.get(0).run();
		assertThat(ran).containsExactly("next");
	}

	@Nested
	class Lingering {

		/** Long, so that the test thread submits within it even on a busy machine. */
		private static final Duration LINGER = Duration.ofSeconds(2);

		private final ExecutorService pool = Executors.newCachedThreadPool();

		private final AtomicInteger drainsScheduled = new AtomicInteger();

		private final AtomicInteger drainsEnded = new AtomicInteger();

		private final Executor countingPool = (drain) -> {
			this.drainsScheduled.incrementAndGet();
			this.pool.execute(() -> {
				drain.run();
				this.drainsEnded.incrementAndGet();
			});
		};

		@AfterEach
		void stopPool() {
			this.pool.shutdownNow();
		}

		@Test
		void aTaskThatComesWhileADrainOfAStreamLingersRunsOnItsThreadWithoutAnotherDrain() throws Exception {
			SerialExecutor serial = new SerialExecutor(this.countingPool, 100, LINGER);
			String lingering = startStream(serial);
			String next = runAndGetThread(serial);
			assertThat(next).isEqualTo(lingering);
			assertThat(this.drainsScheduled).hasValue(SerialExecutor.STREAM + 1);
		}

		@Test
		void aFewTasksCloseTogetherAreNoStream() throws Exception {
			SerialExecutor serial = new SerialExecutor(this.countingPool, 100, LINGER);
			runDrainsCloseTogether(serial, SerialExecutor.STREAM);
		}

		@Test
		void aDrainGivesItsThreadBackWhenNoTaskComesWithinTheLinger() throws Exception {
			SerialExecutor serial = new SerialExecutor(this.countingPool, 100, LINGER);
			startStream(serial);
			awaitDrainsEnded(SerialExecutor.STREAM + 1, LINGER.multipliedBy(5));
			runAndGetThread(serial);
			assertThat(this.drainsScheduled).hasValue(SerialExecutor.STREAM + 2);
		}

		@Test
		void anExecutorWithoutALingerGivesItsThreadBackAtOnce() throws Exception {
			SerialExecutor serial = new SerialExecutor(this.countingPool, 100);
			startStream(serial);
			awaitDrainsEnded(SerialExecutor.STREAM + 1, LINGER.dividedBy(2));
		}

		/**
		 * Run tasks close together, each once the drain of the previous one has ended,
		 * until the executor has seen a stream.
		 * @return the thread of the last drain, which lingers if the executor does
		 */
		private String startStream(SerialExecutor serial) throws Exception {
			runDrainsCloseTogether(serial, SerialExecutor.STREAM);
			return runAndGetThread(serial);
		}

		/**
		 * Run tasks one after the other, each once the drain of the previous one has
		 * ended, and check that each drain gave its thread back well within the linger.
		 */
		private void runDrainsCloseTogether(SerialExecutor serial, int drains) throws Exception {
			for (int i = 1; i <= drains; i++) {
				runAndGetThread(serial);
				awaitDrainsEnded(i, LINGER.dividedBy(2));
			}
		}

		private void awaitDrainsEnded(int count, Duration atMost) {
			await().pollInterval(Duration.ofMillis(1)).atMost(atMost).until(() -> this.drainsEnded.get() == count);
		}

		private static String runAndGetThread(SerialExecutor serial) throws Exception {
			CompletableFuture<String> thread = new CompletableFuture<>();
			serial.execute(() -> thread.complete(Thread.currentThread().getName()));
			return thread.get(10, TimeUnit.SECONDS);
		}

	}

}
