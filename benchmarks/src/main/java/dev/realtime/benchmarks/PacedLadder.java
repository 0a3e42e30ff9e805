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
import java.util.List;

import dev.realtime.benchmarks.contenders.Contender;

/**
 * Inbound paced, a rate ladder: for each rate in {@code rates}, the server pushes
 * {@code step} worth of messages at that rate (one per frame) on a fresh channel. A rate
 * is held when every message arrived, at no less than 95% of the rate, without a
 * disconnect; the ladder stops at the first rate not held. The figure is the highest rate
 * held.
 */
final class PacedLadder {

	private PacedLadder() {
	}

	static Result run(Contender contender, ControlClient control, Arguments args) throws Exception {
		List<Long> rates = args.list("rates", List.of("50k", "100k", "200k"))
			.stream()
			.map((rate) -> Arguments.parse("--rate=" + rate).number("rate", 0))
			.toList();
		Duration step = args.duration("step", Duration.ofSeconds(2));
		int payload = args.integer("payload", 100);
		contender.connect(true, ContenderMain.CONNECT_TIMEOUT);
		String connectionId = contender.connectionId();
		long held = 0;
		int steps = 0;
		int disconnects = 0;
		long started = System.nanoTime();
		StringBuilder trace = new StringBuilder();
		for (long rate : rates) {
			String channel = "paced-" + rate;
			long count = Math.max(1, rate * step.toMillis() / 1000);
			MessageCounter counter = new MessageCounter(count);
			contender.subscribe(channel, counter, ContenderMain.CONNECT_TIMEOUT);
			int disconnectsBefore = contender.events().disconnects();
			long start = System.nanoTime();
			control.get("/burst?connectionId=" + connectionId + "&channel=" + channel + "&count=" + count
					+ "&perFrame=1&rate=" + rate + "&payload=" + payload);
			boolean complete = counter.await(step.multipliedBy(2).plusSeconds(1));
			long end = complete ? counter.completedAt() : System.nanoTime();
			double achieved = counter.count() * 1e9 / (end - start);
			int lost = contender.events().disconnects() - disconnectsBefore;
			disconnects += lost;
			steps++;
			// The last message is due a step after the command: held if it came within
			// 5% of a step (and 20 ms) of that
			long lateness = end - start - step.toNanos();
			boolean ok = complete && lost == 0 && lateness <= step.toNanos() / 20 + 20_000_000;
			trace.append((trace.length() > 0) ? ", " : "")
				.append(BenchmarkRunner.Kind.rate(rate))
				.append(ok ? " held" : " not held")
				.append(" (")
				.append(BenchmarkRunner.Kind.rate(achieved))
				.append(complete ? "" : ", " + counter.count() + " of " + count)
				.append((lost > 0) ? ", " + lost + " disconnects" : "")
				.append(')');
			if (!ok) {
				break;
			}
			held = rate;
		}
		return new Result(args.required("benchmark"), contender.name(), true, rates.size(), steps, disconnects,
				System.nanoTime() - started, held, 0, 0, 0, 0, trace.toString());
	}

}
