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

import dev.realtime.benchmarks.contenders.Contender;

/**
 * Inbound burst: the server pushes {@code count} messages, {@code per-frame} to a frame,
 * as fast as the socket takes them (or paced at {@code rate} messages per second), and
 * the contender's subscriber counts them. The rate is messages received over the time
 * from the command to the last message; a contender that does not get them all within the
 * time limit is measured over the whole limit, and the table says so. A client that drops
 * its transport resumes, attaches again from its channel serial, and the server continues
 * from there, so nothing is lost and the time spent reconnecting counts. With
 * {@code warmup} set, a burst of that many messages on another channel comes first and is
 * not measured, so that the JIT has compiled the contender's path.
 */
final class InboundBurst {

	static final String CHANNEL = "burst";

	/** The channel of the warm-up burst, if any. */
	static final String WARMUP_CHANNEL = "burst-warmup";

	private InboundBurst() {
	}

	static Result run(Contender contender, ControlClient control, Arguments args) throws Exception {
		long count = args.number("count", 1_000_000);
		int perFrame = args.integer("per-frame", 1);
		long rate = args.number("rate", 0);
		int payload = args.integer("payload", 100);
		Duration timeLimit = args.duration("time-limit", Duration.ofSeconds(30));
		long warmup = args.number("warmup", 0);
		contender.connect(true, ContenderMain.CONNECT_TIMEOUT);
		if (warmup > 0) {
			MessageCounter warmupCounter = new MessageCounter(warmup);
			contender.subscribe(WARMUP_CHANNEL, warmupCounter, ContenderMain.CONNECT_TIMEOUT);
			control.get("/burst?connectionId=" + contender.connectionId() + "&channel=" + WARMUP_CHANNEL + "&count="
					+ warmup + "&perFrame=" + perFrame + "&rate=" + rate + "&payload=" + payload);
			if (!warmupCounter.await(timeLimit)) {
				throw new IllegalStateException("The warm-up burst did not arrive within " + timeLimit);
			}
		}
		MessageCounter counter = new MessageCounter(count);
		contender.subscribe(CHANNEL, counter, ContenderMain.CONNECT_TIMEOUT);
		String connectionId = contender.connectionId();
		int disconnectsBefore = contender.events().disconnects();
		long start = System.nanoTime();
		control.get("/burst?connectionId=" + connectionId + "&channel=" + CHANNEL + "&count=" + count + "&perFrame="
				+ perFrame + "&rate=" + rate + "&payload=" + payload);
		boolean complete = counter.await(timeLimit);
		long end = complete ? counter.completedAt() : System.nanoTime();
		long received = counter.count();
		String server = control.get("/burst-status?connectionId=" + connectionId + "&channel=" + CHANNEL);
		long elapsed = end - start;
		return new Result(args.required("benchmark"), contender.name(), complete, count, received,
				contender.events().disconnects() - disconnectsBefore, elapsed, received * 1e9 / elapsed, 0, 0, 0, 0,
				"server: " + server);
	}

}
