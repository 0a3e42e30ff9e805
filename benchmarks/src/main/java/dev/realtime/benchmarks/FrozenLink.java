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
 * Frozen link to DISCONNECTED: the server sends one last HEARTBEAT on the contender's
 * connection and then neither writes nor reads on it, without closing it, as a link that
 * silently stopped carrying anything. Only the client's idle detection can notice; the
 * time runs from the command until the contender reports the connection lost. It repeats
 * {@code freezes} times, waiting for the contender to connect again (it resumes on a new
 * socket) and {@code pause} in between.
 * <p>
 * The server gives every contender the same {@code max-idle-interval} for this benchmark
 * (and restores its own afterwards); each client adds its request timeout
 * ({@code request-timeout}, each client's default unless given), and the result notes the
 * idle timeout each applied.
 */
final class FrozenLink {

	private FrozenLink() {
	}

	static Result run(Contender contender, ControlClient control, Arguments args) throws Exception {
		int freezes = args.integer("freezes", 3);
		Duration maxIdleInterval = args.duration("max-idle-interval", Duration.ofSeconds(5));
		Duration pause = args.duration("pause", Duration.ofSeconds(1));
		Duration timeLimit = args.duration("time-limit", Duration.ofSeconds(30));
		// Beyond the longest idle timeout of a client with the default request timeout
		Duration limit = timeLimit.plus(maxIdleInterval)
			.plus(args.duration("request-timeout", Duration.ofSeconds(10)))
			.plusSeconds(1);
		String previous = control.get("/max-idle-interval?millis=" + maxIdleInterval.toMillis());
		try {
			contender.connect(false, ContenderMain.CONNECT_TIMEOUT);
			String applied = contender.idleTimeout(maxIdleInterval);
			long[] samples = new long[freezes];
			int measured = 0;
			boolean complete = true;
			String failure = null;
			Thread.sleep(pause.toMillis());
			long start = System.nanoTime();
			for (int i = 0; i < freezes; i++) {
				String connectionId = contender.connectionId();
				int disconnects = contender.events().disconnects();
				int connected = contender.events().connectedCount();
				long frozenAt = System.nanoTime();
				control.get("/freeze?connectionId=" + connectionId);
				long disconnectedAt = contender.events().awaitDisconnected(disconnects, limit);
				if (disconnectedAt < 0) {
					complete = false;
					failure = "still connected " + limit.toSeconds() + " s after freeze " + (i + 1);
					break;
				}
				samples[measured++] = disconnectedAt - frozenAt;
				if (i + 1 < freezes) {
					if (contender.events().awaitConnected(connected, limit) < 0) {
						complete = false;
						failure = "not connected again within " + limit.toSeconds() + " s after freeze " + (i + 1);
						break;
					}
					Thread.sleep(pause.toMillis());
				}
			}
			long elapsed = System.nanoTime() - start;
			long[] sorted = Result.sorted(samples, measured);
			return new Result(args.required("benchmark"), contender.name(), complete, freezes, measured, 0, elapsed, 0,
					Result.percentile(sorted, measured, 50), Result.percentile(sorted, measured, 99),
					Result.percentile(sorted, measured, 100), 0,
					"idle timeout " + applied + ((failure != null) ? "; " + failure : ""));
		}
		finally {
			control.get("/max-idle-interval?millis=" + previous);
		}
	}

}
