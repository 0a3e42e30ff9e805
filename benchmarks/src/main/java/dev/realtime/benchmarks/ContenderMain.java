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

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;

import com.sun.management.OperatingSystemMXBean;
import dev.realtime.benchmarks.contenders.Contender;
import dev.realtime.benchmarks.contenders.Contenders;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one benchmark with one contender, in a JVM of its own, and prints the result as a
 * line {@code RESULT <json>} for the runner.
 * <p>
 * Arguments: {@code --benchmark=burst|paced|ack|echo|resume|frozen|connections
 * --contender=raw|realtime|ably|wire --host=127.0.0.1 --port=<server port>}, optionally
 * {@code --request-timeout} and {@code --retry-reset-after}, and the benchmark's own
 * ({@code --count}, {@code --per-frame}, {@code --rate}, {@code --rates}, {@code --step},
 * {@code --payload}, {@code --window}, {@code --warmup}, {@code --drops},
 * {@code --drop-mode}, {@code --freezes}, {@code --max-idle-interval}, {@code --pause},
 * {@code --connections}, {@code --connect-time-limit}, {@code --thread-reserve},
 * {@code --held-idle}, {@code --time-limit}).
 */
public final class ContenderMain {

	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

	/** The prefix of the line that carries the result. */
	public static final String RESULT_PREFIX = "RESULT ";

	private ContenderMain() {
	}

	public static void main(String[] args) {
		Arguments arguments = Arguments.parse(args);
		String benchmark = arguments.required("benchmark");
		String name = arguments.required("contender");
		String host = arguments.string("host", "127.0.0.1");
		int port = Integer.parseInt(arguments.required("port"));
		Result result;
		Contender contender = null;
		try {
			if (benchmark.equals("connections")) {
				// Many clients of one kind rather than one contender
				result = ManyConnections.run(name, host, port, arguments);
			}
			else {
				contender = Contenders.create(name, host, port,
						arguments.has("retry-reset-after") ? arguments.duration("retry-reset-after", Duration.ZERO)
								: null,
						arguments.has("request-timeout") ? arguments.duration("request-timeout", Duration.ZERO) : null);
				result = run(benchmark, contender, new ControlClient(host, port), arguments);
			}
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			result = Result.failed(benchmark, name, ex);
		}
		if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
			result = result.withCpuNanos(os.getProcessCpuTime());
		}
		PrintStream out = System.out;
		out.println(RESULT_PREFIX + JsonMapper.builder().build().writeValueAsString(result));
		out.flush();
		if (contender != null) {
			closeWithin(contender, Duration.ofSeconds(5));
		}
		System.exit(0);
	}

	static Result run(String benchmark, Contender contender, ControlClient control, Arguments arguments)
			throws Exception {
		return switch (benchmark) {
			case "burst" -> InboundBurst.run(contender, control, arguments);
			case "paced" -> PacedLadder.run(contender, control, arguments);
			case "ack" -> PublishAck.run(contender, arguments);
			case "echo" -> EchoLatency.run(contender, arguments);
			case "resume" -> DropResume.run(contender, control, arguments);
			case "frozen" -> FrozenLink.run(contender, control, arguments);
			default -> throw new IllegalArgumentException("Unknown benchmark '" + benchmark + "'");
		};
	}

	private static void closeWithin(Contender contender, Duration timeout) {
		Thread closer = new Thread(contender::close, "contender-close");
		closer.setDaemon(true);
		closer.start();
		try {
			closer.join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
