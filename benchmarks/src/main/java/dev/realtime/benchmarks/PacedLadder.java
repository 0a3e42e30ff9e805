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
 * is held when every message arrived without a disconnect, the last no later than 5% of a
 * step (plus 20 ms) after it was due. A rate not held is tried once more (a neighbour's
 * build can take the CPUs for a moment); the ladder stops at the first rate not held
 * twice. A step at the lowest rate comes first to warm the JVM up and is not judged. The
 * figure is the highest rate held.
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
		Ladder ladder = new Ladder(contender, control, step, payload);
		long started = System.nanoTime();
		ladder.step(rates.get(0), "warm-up");
		StringBuilder trace = new StringBuilder();
		long held = 0;
		int steps = 0;
		int disconnects = 0;
		for (long rate : rates) {
			Step first = ladder.step(rate, "1");
			Step outcome = first.held() ? first : ladder.step(rate, "2");
			steps++;
			disconnects += first.disconnects() + ((outcome != first) ? outcome.disconnects() : 0);
			trace.append((trace.length() > 0) ? ", " : "").append(first);
			if (outcome != first) {
				trace.append(", again ").append(outcome);
			}
			if (!outcome.held()) {
				break;
			}
			held = rate;
		}
		return new Result(args.required("benchmark"), contender.name(), true, rates.size(), steps, disconnects,
				System.nanoTime() - started, held, 0, 0, 0, 0, trace.toString());
	}

	private record Ladder(Contender contender, ControlClient control, Duration step, int payload) {

		Step step(long rate, String attempt) throws Exception {
			String channel = "paced-" + rate + "-" + attempt;
			long count = Math.max(1, rate * this.step.toMillis() / 1000);
			MessageCounter counter = new MessageCounter(count);
			this.contender.subscribe(channel, counter, ContenderMain.CONNECT_TIMEOUT);
			int disconnectsBefore = this.contender.events().disconnects();
			long start = System.nanoTime();
			this.control.get("/burst?connectionId=" + this.contender.connectionId() + "&channel=" + channel + "&count="
					+ count + "&perFrame=1&rate=" + rate + "&payload=" + this.payload);
			boolean complete = counter.await(this.step.multipliedBy(2).plusSeconds(1));
			long end = complete ? counter.completedAt() : System.nanoTime();
			// Whatever is left must not compete with the next step
			this.control.get("/burst-cancel?connectionId=" + this.contender.connectionId() + "&channel=" + channel);
			int disconnects = this.contender.events().disconnects() - disconnectsBefore;
			// The last message is due a step after the command
			long lateness = end - start - this.step.toNanos();
			boolean held = complete && disconnects == 0 && lateness <= this.step.toNanos() / 20 + 20_000_000;
			return new Step(rate, held, counter.count() * 1e9 / (end - start), complete ? -1 : counter.count(), count,
					disconnects);
		}

	}

	private record Step(long rate, boolean held, double achieved, long received, long count, int disconnects) {

		@Override
		public String toString() {
			return BenchmarkRunner.Kind.rate(this.rate) + (this.held ? " held" : " not held") + " ("
					+ BenchmarkRunner.Kind.rate(this.achieved)
					+ ((this.received >= 0) ? ", " + this.received + " of " + this.count : "")
					+ ((this.disconnects > 0) ? ", " + this.disconnects + " disconnects" : "") + ")";
		}

	}

}
