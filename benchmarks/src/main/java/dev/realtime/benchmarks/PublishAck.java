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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.realtime.benchmarks.contenders.Contender;

/**
 * Publish to acknowledgement, pipelined: {@code count} messages of {@code payload}
 * characters on one channel, at most {@code window} unacknowledged at any time. The rate
 * is acknowledged messages over the time from the first publish to the last
 * acknowledgement, after a warm-up of {@code warmup} messages. The client connects with
 * {@code echo=false}, so nothing comes back but the ACKs.
 */
final class PublishAck {

	static final String CHANNEL = "ack";

	private PublishAck() {
	}

	static Result run(Contender contender, Arguments args) throws Exception {
		long count = args.number("count", 200_000);
		long warmup = args.number("warmup", count / 5);
		int window = args.integer("window", 500);
		String data = EchoLatency.payload(0, args.integer("payload", 100));
		Duration timeLimit = args.duration("time-limit", Duration.ofSeconds(30));
		contender.connect(false, ContenderMain.CONNECT_TIMEOUT);
		contender.attach(CHANNEL, ContenderMain.CONNECT_TIMEOUT);
		Window warm = new Window(contender, window, warmup, data);
		warm.run(timeLimit);
		int disconnectsBefore = contender.events().disconnects();
		Window measured = new Window(contender, window, count, data);
		long start = System.nanoTime();
		boolean complete = measured.run(timeLimit);
		long elapsed = System.nanoTime() - start;
		long acked = measured.acked.get();
		return new Result(args.required("benchmark"), contender.name(), complete && measured.failed.get() == 0, count,
				acked, contender.events().disconnects() - disconnectsBefore, elapsed, acked * 1e9 / elapsed, 0, 0, 0, 0,
				(measured.failed.get() > 0) ? measured.failed.get() + " publishes failed: " + measured.firstFailure
						: null);
	}

	private static final class Window {

		private final Contender contender;

		private final Semaphore permits;

		private final long count;

		private final String data;

		private final AtomicLong acked = new AtomicLong();

		private final AtomicLong failed = new AtomicLong();

		private final CountDownLatch done = new CountDownLatch(1);

		private volatile String firstFailure = "";

		Window(Contender contender, int window, long count, String data) {
			this.contender = contender;
			this.permits = new Semaphore(window);
			this.count = count;
			this.data = data;
		}

		boolean run(Duration timeLimit) throws InterruptedException {
			if (this.count == 0) {
				return true;
			}
			long deadline = System.nanoTime() + timeLimit.toNanos();
			for (long i = 0; i < this.count; i++) {
				if (!this.permits.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
					return false;
				}
				this.contender.publish(CHANNEL, "m", this.data, (failure) -> {
					if (failure != null) {
						if (this.failed.getAndIncrement() == 0) {
							this.firstFailure = failure.toString();
						}
					}
					else {
						this.acked.incrementAndGet();
					}
					this.permits.release();
					if (this.acked.get() + this.failed.get() == this.count) {
						this.done.countDown();
					}
				});
			}
			return this.done.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
		}

	}

}
