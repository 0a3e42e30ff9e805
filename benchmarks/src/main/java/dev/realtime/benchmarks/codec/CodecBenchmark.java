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

import java.util.concurrent.TimeUnit;

import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decoding one MESSAGE frame as the push server sends it (1 or 10 messages of 100
 * characters): into a Jackson tree, as the raw client does; with this project's
 * {@link ProtocolCodec}, as the client does; and with a prebuilt {@link ObjectReader} for
 * {@link ProtocolMessage}, configured as the codec's mapper is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

	@Param({ "1", "10" })
	int perFrame;

	private String frame = "";

	private final JsonMapper treeMapper = JsonMapper.builder().build();

	private final ProtocolCodec codec = new ProtocolCodec();

	private final ObjectReader reader = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build()
		.readerFor(ProtocolMessage.class);

	@Setup
	public void encodeFrame() {
		this.frame = frame(this.perFrame, 100);
	}

	/**
	 * Return a MESSAGE frame as the push server sends it.
	 * @param perFrame how many messages
	 * @param payloadSize characters of data per message
	 * @return the JSON text
	 */
	static String frame(int perFrame, int payloadSize) {
		StringBuilder data = new StringBuilder(payloadSize);
		for (int i = 0; i < payloadSize; i++) {
			data.append((char) ('a' + (i % 26)));
		}
		StringBuilder json = new StringBuilder("{\"action\":15,\"id\":\"publisher:0000000042\",")
			.append("\"connectionId\":\"publisher\",\"channel\":\"burst\",\"channelSerial\":\"burst:0000000042\",")
			.append("\"timestamp\":1764500000000,\"messages\":[");
		for (int i = 0; i < perFrame; i++) {
			json.append((i > 0) ? "," : "").append("{\"name\":\"tick\",\"data\":\"").append(data).append("\"}");
		}
		return json.append("]}").toString();
	}

	@Benchmark
	public JsonNode tree() {
		return this.treeMapper.readTree(this.frame);
	}

	@Benchmark
	public ProtocolMessage protocolCodec() {
		return this.codec.decode(this.frame);
	}

	@Benchmark
	public ProtocolMessage objectReader() {
		return this.reader.readValue(this.frame);
	}

}
