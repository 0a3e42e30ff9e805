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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

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

}
