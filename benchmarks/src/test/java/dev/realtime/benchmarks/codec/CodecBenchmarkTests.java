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

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs each operation of {@link CodecBenchmark} once outside JMH: a check that the three
 * decoders read the same frame alike, not a measurement.
 */
class CodecBenchmarkTests {

	@ParameterizedTest
	@ValueSource(ints = { 1, 10 })
	void theThreeDecodersReadEveryMessageOfTheFrame(int perFrame) {
		CodecBenchmark benchmark = new CodecBenchmark();
		benchmark.perFrame = perFrame;
		benchmark.encodeFrame();
		ProtocolMessage decoded = benchmark.protocolCodec();
		assertThat(decoded.getAction()).isEqualTo(Action.MESSAGE);
		assertThat(decoded.getMessages()).hasSize(perFrame);
		assertThat(benchmark.objectReader().getMessages()).isEqualTo(decoded.getMessages());
		JsonNode tree = benchmark.tree();
		assertThat(tree.get("messages").size()).isEqualTo(perFrame);
	}

}
