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
import java.util.concurrent.RejectedExecutionException;
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
	class HandingWorkToAnotherExecutor {

		private final List<Runnable> submitterDrains = new ArrayList<>();

		private final List<Runnable> laneDrains = new ArrayList<>();

		private final SerialExecutor lane = new SerialExecutor(this.laneDrains::add, Integer.MAX_VALUE);

		@Test
		void theOtherExecutorIsWokenOnceWhenTheSubmittersDrainEnds() {
			SerialExecutor submitter = submitter(Duration.ofDays(1));
			List<String> ran = new ArrayList<>();
			List<Integer> wakeUpsSeen = new ArrayList<>();
			submitter.execute(() -> this.lane.executeFrom(submitter, () -> ran.add("first")));
			submitter.execute(() -> this.lane.executeFrom(submitter, () -> ran.add("second")));
			submitter.execute(() -> wakeUpsSeen.add(this.laneDrains.size()));
			runAll(this.submitterDrains);
			assertThat(wakeUpsSeen).containsExactly(0);
			assertThat(this.laneDrains).hasSize(1);
			runAll(this.laneDrains);
			assertThat(ran).containsExactly("first", "second");
		}

		@Test
		void aLongDrainWakesTheOtherExecutorAfterSoManyOfItsTasks() {
			SerialExecutor submitter = submitter(Duration.ofDays(1));
			List<Integer> wakeUpsSeen = new ArrayList<>();
			submitter.execute(() -> this.lane.executeFrom(submitter, () -> {
			}));
			for (int i = 0; i < SerialExecutor.WAKE_AFTER_TASKS + 5; i++) {
				submitter.execute(() -> wakeUpsSeen.add(this.laneDrains.size()));
			}
			this.submitterDrains.remove(0).run();
			// The task that handed the work over counts as the first
			int before = SerialExecutor.WAKE_AFTER_TASKS - 1;
			assertThat(wakeUpsSeen.subList(0, before)).containsOnly(0);
			assertThat(wakeUpsSeen.subList(before, wakeUpsSeen.size())).containsOnly(1);
		}

		@Test
		void workWaitsForItsWakeUpNoLongerThanTheWakeDelay() {
			SerialExecutor submitter = submitter(Duration.ZERO);
			List<Integer> wakeUpsSeen = new ArrayList<>();
			submitter.execute(() -> this.lane.executeFrom(submitter, () -> {
			}));
			submitter.execute(() -> wakeUpsSeen.add(this.laneDrains.size()));
			runAll(this.submitterDrains);
			assertThat(wakeUpsSeen).containsExactly(1);
		}

		@Test
		void aDrainUnderWayTakesTheWorkWithoutAnotherWakeUp() {
			SerialExecutor submitter = submitter(Duration.ofDays(1));
			List<String> ran = new ArrayList<>();
			this.lane.execute(() -> ran.add("queued before"));
			submitter.execute(() -> this.lane.executeFrom(submitter, () -> ran.add("handed over")));
			runAll(this.submitterDrains);
			assertThat(this.laneDrains).hasSize(1);
			runAll(this.laneDrains);
			assertThat(ran).containsExactly("queued before", "handed over");
		}

		@Test
		void workHandedOverOutsideTheSubmittersTasksWakesTheOtherExecutorAtOnce() {
			SerialExecutor submitter = submitter(Duration.ofDays(1));
			List<String> ran = new ArrayList<>();
			this.lane.executeFrom(submitter, () -> ran.add("handed over"));
			assertThat(this.laneDrains).hasSize(1);
			runAll(this.laneDrains);
			assertThat(ran).containsExactly("handed over");
		}

		@Test
		void anExecutorThatRefusesItsWakeUpDoesNotStopTheSubmitter() {
			SerialExecutor submitter = submitter(Duration.ofDays(1));
			SerialExecutor refusing = new SerialExecutor((drain) -> {
				throw new RejectedExecutionException("shut down");
			}, Integer.MAX_VALUE);
			List<String> ran = new ArrayList<>();
			submitter.execute(() -> refusing.executeFrom(submitter, () -> ran.add("never")));
			submitter.execute(() -> this.lane.executeFrom(submitter, () -> ran.add("handed over")));
			runAll(this.submitterDrains);
			submitter.execute(() -> ran.add("next drain"));
			runAll(this.submitterDrains);
			runAll(this.laneDrains);
			assertThat(ran).containsExactly("next drain", "handed over");
		}

		@Test
		void everyTaskHandedOverRunsOnceAndInOrderWhileBothRunOnAPool() throws Exception {
			ExecutorService pool = Executors.newFixedThreadPool(4);
			try {
				SerialExecutor submitter = new SerialExecutor(pool, Integer.MAX_VALUE, Duration.ofNanos(20_000));
				SerialExecutor lane = new SerialExecutor(pool, Integer.MAX_VALUE);
				List<Integer> delivered = new ArrayList<>(); // confined to the lane
				AtomicInteger count = new AtomicInteger();
				for (int i = 0; i < 100_000; i++) {
					int n = i;
					submitter.execute(() -> lane.executeFrom(submitter, () -> {
						delivered.add(n);
						count.incrementAndGet();
					}));
				}
				await().until(() -> count.get() == 100_000);
				CompletableFuture<List<Integer>> seen = new CompletableFuture<>();
				lane.execute(() -> seen.complete(new ArrayList<>(delivered)));
				assertThat(seen.get(10, TimeUnit.SECONDS)).hasSize(100_000).isSorted().doesNotHaveDuplicates();
			}
			finally {
				pool.shutdownNow();
			}
		}

		private SerialExecutor submitter(Duration wakeDelay) {
			return new SerialExecutor(this.submitterDrains::add, Integer.MAX_VALUE, Duration.ZERO, wakeDelay);
		}

		private void runAll(List<Runnable> drains) {
			while (!drains.isEmpty()) {
				drains.remove(0).run();
			}
		}

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
