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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the pool of {@link SharedExecutors#newCallbackPool}.
 *
 * @author Realtime team
 */
class CallbackPoolTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private ThreadPoolExecutor pool = SharedExecutors.newCallbackPool(3, Duration.ofSeconds(30),
			Executors.defaultThreadFactory());

	@AfterEach
	void shutDown() {
		this.release.countDown();
		this.pool.shutdownNow();
	}

	@Test
	void tasksThatFollowOneAnotherShareOneThread() throws Exception {
		for (int i = 0; i < 100; i++) {
			this.pool.submit(() -> {
			}).get(10, TimeUnit.SECONDS);
			// The thread that ran it is idle once it waits for the next task
			await().pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(1))
				.until(((LinkedTransferQueue<Runnable>) this.pool.getQueue())::hasWaitingConsumer);
		}
		assertThat(this.pool.getLargestPoolSize()).isEqualTo(1);
	}

	@Test
	void aTaskGetsANewThreadWhileEveryThreadIsBusy() {
		this.pool.execute(this::awaitRelease);
		this.pool.execute(this::awaitRelease);
		await().until(() -> this.pool.getActiveCount() == 2);
		assertThat(this.pool.getPoolSize()).isEqualTo(2);
	}

	@Test
	void tasksBeyondTheLargestPoolWaitForAThreadInsteadOfBeingRefused() {
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < 3; i++) {
			this.pool.execute(this::awaitRelease);
		}
		await().until(() -> this.pool.getActiveCount() == 3);
		for (int i = 0; i < 5; i++) {
			this.pool.execute(ran::incrementAndGet);
		}
		assertThat(this.pool.getQueue()).hasSize(5);
		assertThat(ran).hasValue(0);
		this.release.countDown();
		await().until(() -> ran.get() == 5);
		assertThat(this.pool.getLargestPoolSize()).isEqualTo(3);
	}

	@Test
	void idleThreadsGoAfterTheKeepAlive() {
		this.pool = SharedExecutors.newCallbackPool(3, Duration.ofMillis(50), Executors.defaultThreadFactory());
		this.pool.execute(this::awaitRelease);
		this.pool.execute(this::awaitRelease);
		await().until(() -> this.pool.getPoolSize() == 2);
		this.release.countDown();
		await().until(() -> this.pool.getPoolSize() == 0);
	}

	@Test
	void aShutDownPoolRefusesTasks() {
		for (int i = 0; i < 3; i++) {
			this.pool.execute(this::awaitRelease);
		}
		this.pool.shutdown();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> this.pool.execute(() -> {
		}));
	}

	private void awaitRelease() {
		try {
			this.release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
