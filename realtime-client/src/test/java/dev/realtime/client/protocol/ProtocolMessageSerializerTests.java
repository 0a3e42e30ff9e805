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

import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProtocolMessageSerializer} writes every message as Jackson's bean and record
 * serializers write it, on messages read from frames made up at random by
 * {@link HostileFrames}.
 */
class ProtocolMessageSerializerTests {

	private final ProtocolCodec codec = new ProtocolCodec();

	private final ObjectWriter jackson = JsonMapper.builder().build().writerFor(ProtocolMessage.class);

	@Property(tries = 3000)
	void writesWhatJacksonsSerializersWrite(@ForAll("frames") String frame) {
		ProtocolMessage message;
		try {
			message = this.codec.decode(frame);
		}
		catch (ProtocolException ex) {
			Assume.that(false);
			return;
		}
		assertThat(this.codec.encode(message)).as(frame).isEqualTo(this.jackson.writeValueAsString(message));
	}

	@Example
	void writesEveryFieldAsJacksonsSerializersDo() {
		ProtocolMessage message = this.codec.decode("{\"action\":15,\"id\":\"i\",\"channel\":\"ch\","
				+ "\"channelSerial\":\"cs\",\"connectionId\":\"cid\",\"connectionDetails\":{\"clientId\":\"x\"},"
				+ "\"count\":3,\"error\":{\"code\":40000,\"statusCode\":400,\"message\":\"m\"},\"flags\":5,"
				+ "\"msgSerial\":7,\"timestamp\":9,\"params\":{\"a\":\"b\"},\"auth\":{\"accessToken\":\"t\"},"
				+ "\"messages\":[{\"id\":\"a\",\"name\":\"n\",\"data\":{\"x\":[1,2.5]},\"encoding\":\"e\","
				+ "\"clientId\":\"c\",\"connectionId\":\"d\",\"timestamp\":1},{\"data\":\"text\"}],"
				+ "\"presence\":[{\"action\":2,\"clientId\":\"bob\"}]}");
		String json = this.codec.encode(message);
		assertThat(json).startsWith("{\"action\":15,\"auth\":{").contains("\"data\":{\"x\":[1,2.5]}", "\"presence\"");
		assertThat(json).isEqualTo(this.jackson.writeValueAsString(message));
	}

	@Example
	void writesAMessageWithANullEntryAsJacksonsSerializersDo() {
		ProtocolMessage message = new ProtocolMessage(Action.MESSAGE)
			.setMessages(Arrays.asList(null, new WireMessage(null, "n", List.of(1), null, null, null, 5L)));
		assertThat(this.codec.encode(message)).isEqualTo(this.jackson.writeValueAsString(message));
	}

	@Provide
	Arbitrary<String> frames() {
		return HostileFrames.arbitrary(HostileFrames::frame);
	}

}
