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
import dev.realtime.benchmarks.contenders.Contenders;
import dev.realtime.benchmarks.server.PushServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark with every contender once, in this JVM, with tiny counts: a check
 * that the server and the contenders still speak to each other, not a measurement. It
 * asserts what was done, never how fast.
 */
class BenchmarksSmokeTests {

	private static PushServer server;

	private static ControlClient control;

	@BeforeAll
	static void startServer() throws Exception {
		server = PushServer.start("127.0.0.1", 0, Duration.ofSeconds(15));
		control = new ControlClient("127.0.0.1", server.port());
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "wire", "raw", "realtime", "ably" })
	void inboundBurstDeliversEveryMessage(String name) throws Exception {
		Result result = run(name, "--benchmark=burst", "--count=2000", "--per-frame=10");
		assertThat(result.done()).isEqualTo(2000);
		assertThat(result.complete()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "raw", "realtime", "ably" })
	void pacedLadderHoldsAGentleRate(String name) throws Exception {
		Result result = run(name, "--benchmark=paced", "--rates=1k", "--step=500ms");
		assertThat(result.disconnects()).isZero();
		assertThat(result.rate()).isEqualTo(1000);
	}

	@ParameterizedTest
	@ValueSource(strings = { "raw", "realtime", "ably" })
	void publishesAreAcknowledged(String name) throws Exception {
		Result result = run(name, "--benchmark=ack", "--count=500", "--warmup=0", "--window=50");
		assertThat(result.done()).isEqualTo(500);
		assertThat(result.complete()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "raw", "realtime", "ably" })
	void publishesComeBackAsEchoes(String name) throws Exception {
		Result result = run(name, "--benchmark=echo", "--count=20", "--warmup=0");
		assertThat(result.done()).isEqualTo(20);
		assertThat(result.medianNanos()).isPositive();
	}

	@ParameterizedTest
	@ValueSource(strings = { "raw", "realtime", "ably" })
	void droppedConnectionIsResumed(String name) throws Exception {
		Result result = run(name, "--benchmark=resume", "--drops=1", "--drop-mode=fin", "--pause=600ms",
				"--retry-reset-after=500ms");
		assertThat(result.done()).isOne();
		assertThat(result.resumed()).isOne();
	}

	@ParameterizedTest
	@ValueSource(strings = { "raw", "realtime" })
	void frozenLinkIsDetectedByTheIdleTimeout(String name) throws Exception {
		Result result = run(name, "--benchmark=frozen", "--freezes=2", "--max-idle-interval=300ms",
				"--request-timeout=500ms", "--pause=200ms");
		assertThat(result.done()).isEqualTo(2);
		assertThat(result.medianNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(800).toNanos());
		assertThat(result.note()).contains("maxIdleInterval 0.3 s + request timeout 0.5 s");
	}

	@Test
	void frozenLinkRunsWithAblyJava() throws Exception {
		// Its first check on a fresh client comes 20 s + its request timeout after
		// connecting: too late here
		Result result = run("ably", "--benchmark=frozen", "--freezes=1", "--max-idle-interval=300ms",
				"--request-timeout=500ms", "--pause=200ms", "--time-limit=1s");
		assertThat(result.expected()).isOne();
		assertThat(result.note()).contains("maxIdleInterval 0.3 s + realtimeRequestTimeout 0.5 s");
	}

	@ParameterizedTest
	@ValueSource(strings = { "realtime", "ably" })
	void manyConnectionsAllConnect(String name) throws Exception {
		Arguments arguments = Arguments.parse("--benchmark=connections", "--connections=20", "--connect-time-limit=20s",
				"--close");
		Result result = ManyConnections.run(name, "127.0.0.1", server.port(), arguments);
		assertThat(result.done()).isEqualTo(20);
		assertThat(result.complete()).isTrue();
		assertThat(result.footprint()).isNotNull();
		assertThat(result.footprint().connections()).isEqualTo(20);
	}

	private static Result run(String name, String... args) throws Exception {
		Arguments arguments = Arguments.parse(args);
		arguments = arguments.with("time-limit", arguments.string("time-limit", "20s"));
		try (Contender contender = Contenders.create(name, "127.0.0.1", server.port(), Duration.ofMillis(500),
				arguments.has("request-timeout") ? arguments.duration("request-timeout", Duration.ZERO) : null)) {
			return ContenderMain.run(arguments.required("benchmark"), contender, control, arguments);
		}
	}

}
