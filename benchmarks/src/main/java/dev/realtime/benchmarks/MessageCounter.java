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

package dev.realtime.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.realtime.benchmarks.contenders.Contender;

/**
 * Counts the messages a subscriber receives and notes when the expected number arrived.
 * Called by one thread at a time.
 */
final class MessageCounter implements Contender.MessageListener {

	private final long target;

	private final AtomicLong count = new AtomicLong();

	private final CountDownLatch done = new CountDownLatch(1);

	private volatile long completedAt;

	MessageCounter(long target) {
		this.target = target;
	}

	@Override
	public void onMessage(String name, String data) {
		if (this.count.incrementAndGet() == this.target) {
			this.completedAt = System.nanoTime();
			this.done.countDown();
		}
	}

	/**
	 * Wait until the expected number of messages arrived.
	 * @param timeout how long to wait
	 * @return whether they did
	 * @throws InterruptedException if interrupted
	 */
	boolean await(Duration timeout) throws InterruptedException {
		return this.done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	long count() {
		return this.count.get();
	}

	/**
	 * Return when the expected number of messages had arrived.
	 * @return the time in {@link System#nanoTime()}, {@code 0} before
	 */
	long completedAt() {
		return this.completedAt;
	}

}
