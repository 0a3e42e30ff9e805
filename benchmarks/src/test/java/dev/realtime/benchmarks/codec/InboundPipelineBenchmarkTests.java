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

package dev.realtime.benchmarks.codec;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Runs one operation of {@link InboundPipelineBenchmark} outside JMH: a check that what
 * it times still goes through the client, not a measurement.
 */
class InboundPipelineBenchmarkTests {

	@ParameterizedTest
	@ValueSource(ints = { 1, 10 })
	void everyFrameHandedToTheClientReachesItsSubscriber(int perFrame) throws Exception {
		InboundPipelineBenchmark benchmark = new InboundPipelineBenchmark();
		benchmark.perFrame = perFrame;
		benchmark.connect();
		try {
			assertTimeoutPreemptively(Duration.ofSeconds(30), benchmark::client);
			assertTimeoutPreemptively(Duration.ofSeconds(30), benchmark::client);
			assertThat(benchmark.received()).isEqualTo(2L * InboundPipelineBenchmark.FRAMES * perFrame);
		}
		finally {
			benchmark.close();
		}
	}

}
