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
package dev.realtime.client.protocol;

import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProtocolMessageDeserializer} reads every frame as Jackson's bean and record
 * deserializers read it: the same message, or a failure at the same path, on frames made
 * up at random by {@link HostileFrames}.
 */
class ProtocolMessageDeserializerTests {

	private final ProtocolCodec codec = new ProtocolCodec();

	private final ObjectReader streaming = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.addModule(new SimpleModule().addDeserializer(ProtocolMessage.class, new ProtocolMessageDeserializer()))
		.build()
		.readerFor(ProtocolMessage.class);

	private final ObjectReader jackson = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build()
		.readerFor(ProtocolMessage.class);

	@Property(tries = 3000)
	void readsWhatJacksonsDeserializersRead(@ForAll("frames") String frame) {
		Outcome expected = read(this.jackson, frame);
		Outcome actual = read(this.streaming, frame);
		assertThat(actual).as(frame).isEqualTo(expected);
	}

	@Example
	void readsAServersMessageFrameAsJacksonsDeserializersDo() {
		String frame = "{\"action\":15,\"id\":\"publisher:42\",\"connectionId\":\"publisher\",\"channel\":\"news\","
				+ "\"channelSerial\":\"news:42\",\"msgSerial\":7,\"timestamp\":1764500000000,\"flags\":65536,"
				+ "\"count\":2,\"unknown\":{\"a\":[1]},\"messages\":[{\"id\":\"publisher:42:0\",\"name\":\"tick\","
				+ "\"data\":\"text\",\"clientId\":\"alice\",\"connectionId\":\"publisher\",\"timestamp\":1764500000000},"
				+ "{\"name\":\"tock\",\"data\":{\"a\":[1,2.5,null]},\"encoding\":\"json\",\"extra\":true}],"
				+ "\"presence\":[{\"action\":2,\"clientId\":\"bob\",\"data\":\"here\"}],\"params\":{\"k\":\"v\"},"
				+ "\"error\":{\"code\":40142,\"statusCode\":401,\"message\":\"expired\"}}";
		Outcome actual = read(this.streaming, frame);
		assertThat(actual.failurePath()).isNull();
		assertThat(actual.json()).contains("\"clientId\":\"alice\"", "\"tock\"", "\"presence\"", "40142");
		assertThat(actual).isEqualTo(read(this.jackson, frame));
	}

	private Outcome read(ObjectReader reader, String frame) {
		try {
			ProtocolMessage message = reader.readValue(frame);
			return new Outcome((message != null) ? this.codec.encode(message) : null, null);
		}
		catch (JacksonException ex) {
			return new Outcome(null, path(ex.getPath()));
		}
	}

	private static String path(List<JacksonException.Reference> path) {
		StringBuilder result = new StringBuilder("$");
		for (JacksonException.Reference reference : path) {
			result.append((reference.getPropertyName() != null) ? "." + reference.getPropertyName()
					: "[" + reference.getIndex() + "]");
		}
		return result.toString();
	}

	@Provide
	Arbitrary<String> frames() {
		return HostileFrames.arbitrary(HostileFrames::hostileFrame);
	}

	record Outcome(@Nullable String json, @Nullable String failurePath) {

	}

}
