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
import java.util.Objects;

import dev.realtime.benchmarks.contenders.Contender;

/**
 * Drop to resumed: the server drops the contender's socket ({@code drop-mode}:
 * {@code close} sends a close frame first, {@code fin} does not, {@code rst} resets), and
 * the time runs from the command until the contender reports CONNECTED again. It repeats
 * {@code drops} times, {@code pause} apart, and counts how many reconnections resumed the
 * same connection.
 */
final class DropResume {

	static final String CHANNEL = "resume";

	private DropResume() {
	}

	static Result run(Contender contender, ControlClient control, Arguments args) throws Exception {
		int drops = args.integer("drops", 10);
		String mode = args.string("drop-mode", "close");
		Duration pause = args.duration("pause", Duration.ofSeconds(1));
		Duration timeLimit = args.duration("time-limit", Duration.ofSeconds(30));
		contender.connect(true, ContenderMain.CONNECT_TIMEOUT);
		contender.attach(CHANNEL, ContenderMain.CONNECT_TIMEOUT);
		String connectionId = contender.connectionId();
		long[] samples = new long[drops];
		int measured = 0;
		int resumed = 0;
		boolean complete = true;
		String note = null;
		long start = System.nanoTime();
		Thread.sleep(pause.toMillis());
		int disconnectsBefore = contender.events().disconnects();
		for (int i = 0; i < drops; i++) {
			int connected = contender.events().connectedCount();
			long droppedAt = System.nanoTime();
			control.get("/drop?connectionId=" + connectionId + "&mode=" + mode);
			long connectedAt = contender.events().awaitConnected(connected, timeLimit);
			if (connectedAt < 0) {
				complete = false;
				note = "not connected again within " + timeLimit.toSeconds() + " s after drop " + (i + 1);
				break;
			}
			samples[measured++] = connectedAt - droppedAt;
			if (Objects.equals(contender.events().lastConnectionId(), connectionId)) {
				resumed++;
			}
			Thread.sleep(pause.toMillis());
		}
		long elapsed = System.nanoTime() - start;
		long[] sorted = Result.sorted(samples, measured);
		return new Result(args.required("benchmark"), contender.name(), complete, drops, measured,
				contender.events().disconnects() - disconnectsBefore - measured, elapsed, 0,
				Result.percentile(sorted, measured, 50), Result.percentile(sorted, measured, 99),
				Result.percentile(sorted, measured, 100), resumed, note);
	}

}
