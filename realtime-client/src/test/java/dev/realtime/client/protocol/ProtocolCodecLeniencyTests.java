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

import java.util.ArrayList;
import java.util.List;

import dev.realtime.client.ErrorInfo;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the robustness of {@link ProtocolCodec} [RTF1]: a missing or wrongly typed
 * optional field costs that field, never the whole frame.
 */
class ProtocolCodecLeniencyTests {

	private final ProtocolCodec codec = new ProtocolCodec();

	private final List<String> dropped = new ArrayList<>();

	@Nested
	class Errors {

		@Test
		void anErrorWithoutStatusCodeIsKeptWithTheStatusItsCodeImplies() {
			ProtocolMessage message = decode("{\"action\":9,\"error\":{\"code\":40142,\"message\":\"Token expired\"}}");
			assertThat(message.getError()).isEqualTo(new ErrorInfo(40142, 401, "Token expired"));
			assertThat(message.getError().isTokenError()).isTrue();
			assertThat(dropped).isEmpty();
		}

		@Test
		void anErrorWhoseCodeIsNotAnHttpStatusTimesAHundredGetsStatus500() {
			assertThat(decode("{\"action\":9,\"error\":{\"code\":80019,\"message\":\"x\"}}").getError())
				.isEqualTo(new ErrorInfo(80019, 500, "x"));
		}

		@Test
		void anErrorWithOnlyAStatusCodeGetsTheGenericCodeOfThatStatus() {
			assertThat(decode("{\"action\":9,\"error\":{\"statusCode\":403,\"message\":\"no\"}}").getError())
				.isEqualTo(new ErrorInfo(40300, 403, "no"));
		}

		@Test
		void anEmptyErrorIsAGenericServerError() {
			ErrorInfo error = decode("{\"action\":9,\"error\":{}}").getError();
			assertThat(error.code()).isEqualTo(50000);
			assertThat(error.statusCode()).isEqualTo(500);
			assertThat(error.message()).isNotBlank();
		}

		@Test
		void aWronglyTypedStatusCodeIsDroppedAndTheErrorKept() {
			assertThat(decode("{\"action\":9,\"error\":{\"code\":40142,\"statusCode\":\"unauthorized\","
					+ "\"message\":\"Token expired\"}}")
				.getError()).isEqualTo(new ErrorInfo(40142, 401, "Token expired"));
			assertThat(dropped).singleElement().asString().startsWith("error.statusCode");
		}

		@Test
		void anErrorThatIsNotAnObjectIsDropped() {
			ProtocolMessage message = decode("{\"action\":9,\"error\":\"boom\"}");
			assertThat(message.getAction()).isEqualTo(Action.ERROR);
			assertThat(message.getError()).isNull();
			assertThat(dropped).singleElement().asString().startsWith("error");
		}

	}

	@Nested
	class WronglyTypedFields {

		@Test
		void wronglyTypedOptionalFieldsAreDroppedAndTheRestKept() {
			ProtocolMessage message = decode(
					"{\"action\":1,\"msgSerial\":3,\"count\":\"many\",\"timestamp\":{\"at\":1},"
							+ "\"flags\":[4],\"id\":\"a1\"}");
			assertThat(message.getAction()).isEqualTo(Action.ACK);
			assertThat(message.getMsgSerial()).isEqualTo(3);
			assertThat(message.getId()).isEqualTo("a1");
			assertThat(message.getCount()).isNull();
			assertThat(message.getTimestamp()).isNull();
			assertThat(message.getFlags()).isNull();
			assertThat(dropped).hasSize(3)
				.anySatisfy((part) -> assertThat(part).startsWith("count"))
				.anySatisfy((part) -> assertThat(part).startsWith("timestamp"))
				.anySatisfy((part) -> assertThat(part).startsWith("flags"));
		}

		@Test
		void aWronglyTypedConnectionDetailIsDroppedAndTheOthersKept() {
			ProtocolMessage message = decode("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":"
					+ "{\"connectionKey\":\"k1\",\"maxIdleInterval\":\"soon\",\"connectionStateTtl\":120000}}");
			assertThat(message.getConnectionId()).isEqualTo("c1");
			assertThat(message.getConnectionDetails())
				.isEqualTo(new ConnectionDetails(null, "k1", 120_000L, null, null, null, null));
			assertThat(dropped).singleElement().asString().startsWith("connectionDetails.maxIdleInterval");
		}

		@Test
		void numbersOutOfRangeAreDropped() {
			ProtocolMessage message = decode(
					"{\"action\":1,\"msgSerial\":99999999999999999999999,\"count\":1e12,\"id\":\"a1\"}");
			assertThat(message.getMsgSerial()).isNull();
			assertThat(message.getCount()).isNull();
			assertThat(message.getId()).isEqualTo("a1");
			assertThat(dropped).hasSize(2);
		}

		@Test
		void aWronglyTypedFieldOfAMessageIsDroppedAndTheMessageKept() {
			ProtocolMessage message = decode("{\"action\":15,\"channel\":\"news\",\"messages\":"
					+ "[{\"id\":\"m1\",\"name\":{\"n\":1},\"data\":\"hello\",\"timestamp\":\"yesterday\"}]}");
			assertThat(message.getMessages())
				.containsExactly(new WireMessage("m1", null, "hello", null, null, null, null));
			assertThat(dropped).hasSize(2).allSatisfy((part) -> assertThat(part).startsWith("messages[0]."));
		}

		@Test
		void aWronglyTypedParamIsDroppedAndTheOthersKept() {
			ProtocolMessage message = decode(
					"{\"action\":11,\"channel\":\"news\",\"params\":{\"rewind\":\"1\",\"modes\":{\"x\":1}}}");
			assertThat(message.getParams()).containsOnlyKeys("rewind");
			assertThat(dropped).singleElement().asString().startsWith("params.modes");
		}

		@Test
		void theActionIsRequiredAndOfItsType() {
			assertThatExceptionOfType(ProtocolException.class)
				.isThrownBy(() -> decode("{\"action\":\"connected\",\"connectionId\":\"c1\"}"))
				.withMessageContaining("no action");
			assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode("{\"action\":[4]}"));
		}

	}

	@Nested
	class Messages {

		@Test
		void nullEntriesAreDroppedAndReported() {
			ProtocolMessage message = decode(
					"{\"action\":15,\"channel\":\"news\",\"messages\":[null,{\"id\":\"m1\",\"data\":\"x\"},null]}");
			assertThat(message.getMessages()).extracting(WireMessage::id).containsExactly("m1");
			assertThat(dropped).containsExactly("messages[0]: null", "messages[2]: null");
		}

		@Test
		void entriesThatAreNotObjectsAreDroppedAndReported() {
			ProtocolMessage message = decode(
					"{\"action\":15,\"channel\":\"news\",\"messages\":[7,\"text\",[1],{\"id\":\"m1\"}]}");
			assertThat(message.getMessages()).extracting(WireMessage::id).containsExactly("m1");
			assertThat(dropped).hasSize(3);
		}

		@Test
		void messagesThatAreNotAnArrayAreDropped() {
			ProtocolMessage message = decode("{\"action\":15,\"channel\":\"news\",\"messages\":{\"id\":\"m1\"}}");
			assertThat(message.getChannel()).isEqualTo("news");
			assertThat(message.getMessages()).isNull();
			assertThat(dropped).singleElement().asString().startsWith("messages");
		}

	}

	@Test
	void aRepeatedFieldIsReadAsItsLastValueEvenWhenAnEarlierOneIsWronglyTyped() {
		ProtocolMessage message = decode("{\"action\":15,\"messages\":[{\"id\":{}}],\"messages\":[{\"id\":\"m1\"}]}");
		assertThat(message.getMessages()).extracting(WireMessage::id).containsExactly("m1");
	}

	@Test
	void aMalformedFrameIsReportedWithoutTheSecretsItHolds() {
		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> decode("{\"action\":4,\"connectionDetails\":{\"connectionKey\": \"secret-key\",\"x\":"))
			.withMessageContaining("\"connectionKey\": \"******")
			.withMessageNotContaining("secret-key");
		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> decode("{\"action\":17,\"auth\":{\"accessToken\":\"secret-tok"))
			.withMessageNotContaining("secret-tok");
	}

	@Test
	void aFrameWithNothingWrongReportsNothing() {
		decode("{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s1\",\"messages\":"
				+ "[{\"id\":\"m1\",\"data\":{\"deep\":[1,2,{\"x\":null}]},\"timestamp\":1}],\"futureField\":[1]}");
		assertThat(dropped).isEmpty();
	}

	@Test
	void decodingWithoutAListenerIsAsLenient() {
		assertThat(this.codec.decode("{\"action\":1,\"msgSerial\":3,\"count\":\"many\"}").getMsgSerial()).isEqualTo(3);
	}

	private ProtocolMessage decode(String json) {
		return this.codec.decode(json, this.dropped::add);
	}

}
