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
import java.util.concurrent.locks.LockSupport;

import dev.realtime.benchmarks.contenders.Contender;

/**
 * Publish to own echo, one message at a time: the contender subscribes to a channel,
 * publishes a message of {@code payload} characters on it and waits for the server to
 * deliver it back before publishing the next. The latency of each round trip is taken in
 * the subscriber, when the echo arrives; {@code warmup} round trips come first and are
 * not counted.
 */
final class EchoLatency {

	static final String CHANNEL = "echo";

	private EchoLatency() {
	}

	static Result run(Contender contender, Arguments args) throws Exception {
		int count = args.integer("count", 10_000);
		int warmup = args.integer("warmup", 2_000);
		int payload = args.integer("payload", 100);
		Duration timeLimit = args.duration("time-limit", Duration.ofSeconds(30));
		contender.connect(true, ContenderMain.CONNECT_TIMEOUT);
		Echoes echoes = new Echoes(Thread.currentThread());
		contender.subscribe(CHANNEL, echoes, ContenderMain.CONNECT_TIMEOUT);
		int disconnectsBefore = contender.events().disconnects();
		long[] latencies = new long[count];
		int measured = 0;
		long start = System.nanoTime();
		long deadline = start + timeLimit.toNanos();
		boolean complete = true;
		for (int i = 0; i < warmup + count && complete; i++) {
			String data = payload(i, payload);
			echoes.expected = i;
			long sentAt = System.nanoTime();
			contender.publish(CHANNEL, "e", data, (failure) -> {
			});
			while (echoes.arrived < i) {
				if (System.nanoTime() - deadline > 0) {
					complete = false;
					break;
				}
				LockSupport.parkNanos(1_000_000);
			}
			if (complete && i >= warmup) {
				latencies[measured++] = echoes.arrivedAt - sentAt;
			}
		}
		long elapsed = System.nanoTime() - start;
		long[] sorted = Result.sorted(latencies, measured);
		return new Result(args.required("benchmark"), contender.name(), complete, count, measured,
				contender.events().disconnects() - disconnectsBefore, elapsed, 0,
				Result.percentile(sorted, measured, 50), Result.percentile(sorted, measured, 99),
				Result.percentile(sorted, measured, 100), 0, null);
	}

	/**
	 * Return the data of the given message: its sequence number in ten digits, padded to
	 * the given length.
	 * @param sequence the sequence number
	 * @param length the length
	 * @return the data
	 */
	static String payload(long sequence, int length) {
		StringBuilder data = new StringBuilder(Math.max(length, 10)).append(String.format("%010d", sequence));
		while (data.length() < length) {
			data.append((char) ('a' + (data.length() % 26)));
		}
		return data.toString();
	}

	private static final class Echoes implements Contender.MessageListener {

		private final Thread waiter;

		private volatile long expected = -1;

		private volatile long arrived = -1;

		private volatile long arrivedAt;

		Echoes(Thread waiter) {
			this.waiter = waiter;
		}

		@Override
		public void onMessage(String name, String data) {
			long now = System.nanoTime();
			long sequence = Long.parseLong(data.substring(0, 10));
			if (sequence == this.expected) {
				this.arrivedAt = now;
				this.arrived = sequence;
				LockSupport.unpark(this.waiter);
			}
		}

	}

}
