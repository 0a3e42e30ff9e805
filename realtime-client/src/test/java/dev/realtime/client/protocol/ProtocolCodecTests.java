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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.realtime.client.ErrorInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ProtocolCodec}.
 */
class ProtocolCodecTests {

	private final ProtocolCodec codec = new ProtocolCodec();

	@Test
	void writesOnlyTheFieldsThatAreSet() {
		assertThat(this.codec.encode(new ProtocolMessage(Action.HEARTBEAT).setId("p1")))
			.isEqualTo("{\"action\":0,\"id\":\"p1\"}");
		assertThat(this.codec.encode(new ProtocolMessage(Action.CLOSE))).isEqualTo("{\"action\":7}");
	}

	@Test
	void readsAConnectedMessage() {
		ProtocolMessage message = this.codec.decode("{\"action\":4,\"connectionId\":\"c1\",\"flags\":4,"
				+ "\"connectionDetails\":{\"connectionKey\":\"k1\",\"maxIdleInterval\":15000,"
				+ "\"connectionStateTtl\":120000,\"serverId\":\"s\",\"clientId\":\"me\"},"
				+ "\"error\":{\"code\":80008,\"statusCode\":400,\"message\":\"no resume\",\"href\":\"https://x\"}}");
		assertThat(message.getAction()).isEqualTo(Action.CONNECTED);
		assertThat(message.getConnectionId()).isEqualTo("c1");
		assertThat(message.hasFlag(Flags.RESUMED)).isTrue();
		assertThat(message.getConnectionDetails())
			.isEqualTo(new ConnectionDetails("me", "k1", 120_000L, 15_000L, null, null, "s"));
		assertThat(message.getError()).isEqualTo(new ErrorInfo(80008, 400, "no resume"));
	}

	@Test
	void roundTripsEveryField() {
		ProtocolMessage message = new ProtocolMessage(Action.ATTACH).setChannel("news")
			.setChannelSerial("s1")
			.setCount(2)
			.setFlags(Flags.SUBSCRIBE)
			.setMsgSerial(7L)
			.setTimestamp(1L)
			.setParams(Map.of("rewind", "1"));
		ProtocolMessage read = this.codec.decode(this.codec.encode(message));
		assertThat(read).usingRecursiveComparison().isEqualTo(message);
	}

	@Test
	void readsAndWritesPresenceMessages() {
		ProtocolMessage message = this.codec.decode("{\"action\":16,\"channel\":\"room\",\"channelSerial\":\"s:c\","
				+ "\"presence\":[{\"action\":1,\"id\":\"c1:0:0\",\"clientId\":\"a\",\"connectionId\":\"c1\","
				+ "\"data\":\"{\\\"n\\\":1}\",\"encoding\":\"json\",\"timestamp\":5,\"extras\":{}}]}");
		assertThat(message.getPresence())
			.containsExactly(new WirePresenceMessage(1, "c1:0:0", "a", "c1", "{\"n\":1}", "json", 5L));
		assertThat(this.codec.decodeData(message.getPresence().get(0))).isEqualTo(Map.of("n", 1));
		assertThat(this.codec.encode(
				new ProtocolMessage(Action.PRESENCE).setPresence(List.of(this.codec.encodePresence(2, List.of(1))))))
			.isEqualTo("{\"action\":14,\"presence\":[{\"action\":2,\"data\":\"[1]\",\"encoding\":\"json\"}]}");
	}

	@Test
	void readsAndWritesTheCauseOfAnError() {
		ErrorInfo error = new ErrorInfo(91004, 400, "not entered again", new ErrorInfo(40160, 401, "refused"));
		ProtocolMessage read = this.codec.decode(this.codec.encode(new ProtocolMessage(Action.ERROR).setError(error)));
		assertThat(read.getError()).isEqualTo(error);
		assertThat(error.toString()).isEqualTo("[91004/400] not entered again; caused by [40160/401] refused");
	}

	@Test
	void ignoresUnknownFieldsAndKeepsUnknownActionsAsUnknown() {
		ProtocolMessage message = this.codec.decode("{\"action\":42,\"futureField\":[1,2,3]}");
		assertThat(message.getActionCode()).isEqualTo(42);
		assertThat(message.getAction()).isNull();
	}

	@Test
	void readsJsonCarriedInBinaryFrames() {
		ByteBuffer payload = ByteBuffer.wrap("{\"action\":0}".getBytes(StandardCharsets.UTF_8));
		assertThat(this.codec.decode(payload).getAction()).isEqualTo(Action.HEARTBEAT);
	}

	@Test
	void rejectsFramesThatAreNotProtocolMessages() {
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.decode("not json"))
			.withMessageContaining("Malformed frame");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.decode("{\"id\":\"x\"}"))
			.withMessageContaining("no action");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.decode("[1]"));
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.decode("null"));
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.decode("{\"action\":\"four\"}"));
	}

	@Test
	void abbreviatesLongFramesInErrors() {
		String longFrame = "x".repeat(10_000);
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.decode(longFrame))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(300));
	}

	@Test
	void toStringLeavesOutTheConnectionKey() {
		ProtocolMessage message = new ProtocolMessage(Action.CONNECTED).setConnectionId("c1")
			.setConnectionDetails(new ConnectionDetails(null, "secret-key", null, null, null, null, null));
		assertThat(message.toString()).contains("CONNECTED").contains("c1").doesNotContain("secret-key");
	}

}
