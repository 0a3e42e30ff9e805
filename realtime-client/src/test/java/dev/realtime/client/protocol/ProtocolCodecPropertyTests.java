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

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Properties of {@link ProtocolCodec} under hostile input, each checked on many frames
 * made up at random (jqwik, with {@link HostileFrames}): whatever the server sends,
 * decoding gives a message with an action or a {@link ProtocolException}, and nothing
 * else escapes; what is read leniently [RTF1] keeps its action.
 */
class ProtocolCodecPropertyTests {

	private final ProtocolCodec codec = new ProtocolCodec();

	@Property(tries = 1000)
	void decodingGivesAMessageWithAnActionOrAProtocolException(@ForAll("hostileFrames") String frame) {
		List<String> dropped = new ArrayList<>();
		ProtocolMessage message;
		try {
			message = this.codec.decode(frame, dropped::add);
		}
		catch (ProtocolException ex) {
			assertThat(ex.getMessage()).hasSizeLessThan(400);
			return;
		}
		assertThat(message.getActionCode()).isNotNull();
		if (message.getMessages() != null) {
			assertThat(message.getMessages()).doesNotContainNull();
		}
		if (message.getError() != null) {
			assertThat(message.getError().code()).isPositive();
			assertThat(message.getError().statusCode()).isPositive();
			assertThat(message.getError().message()).isNotNull();
		}
		assertThat(dropped).allSatisfy((part) -> assertThat(part).isNotBlank());
	}

	@Property(tries = 1000)
	void aFrameWithAnIntegerActionKeepsItWhateverTheOtherFieldsHold(@ForAll("framesWithAnAction") String frame) {
		int action = Integer.parseInt(frame.substring("{\"action\":".length(), frame.indexOf(',')));
		assertThat(this.codec.decode(frame.replace(",}", "}")).getActionCode()).isEqualTo(action);
	}

	@Property(tries = 20)
	void deeplyNestedDataIsReadOrRejectedWithoutOverflowingTheStack(@ForAll("depths") int depth) {
		String data = "[".repeat(depth) + "]".repeat(depth);
		try {
			assertThat(this.codec.decode("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":" + data + "}]}")
				.getMessages()).hasSize(1);
		}
		catch (ProtocolException ex) {
			assertThat(depth).as("depth of data rejected").isGreaterThan(100);
		}
		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> this.codec.decode("{\"action\":15,\"messages\":[{\"data\":" + "{\"a\":[".repeat(depth)));
	}

	@Property(tries = 20)
	void extremeFramesAreReadOrRejected(@ForAll("extremeFrames") String frame) {
		try {
			assertThat(this.codec.decode(frame).getActionCode()).isNotNull();
		}
		catch (ProtocolException ex) {
			assertThat(ex.getMessage()).hasSizeLessThan(400);
		}
	}

	@Example
	void oversizedFieldsAreRead() {
		String large = "x".repeat(4 * 1024 * 1024);
		ProtocolMessage message = this.codec.decode("{\"action\":15,\"channel\":\"news\",\"id\":\"" + large
				+ "\",\"messages\":[{\"data\":\"" + large + "\"}]}");
		assertThat(message.getId()).hasSize(large.length());
		assertThat(message.getMessages()).singleElement().extracting(WireMessage::data).isEqualTo(large);
	}

	@Provide
	Arbitrary<String> hostileFrames() {
		return HostileFrames.arbitrary(HostileFrames::hostileFrame);
	}

	@Provide
	Arbitrary<String> framesWithAnAction() {
		return HostileFrames.arbitrary(
				(frames) -> "{\"action\":" + frames.between(-5, 30) + "," + frames.frameWithoutAction().substring(1));
	}

	@Provide
	Arbitrary<Integer> depths() {
		return HostileFrames.arbitrary((frames) -> frames.between(1, 200_000));
	}

	@Provide
	Arbitrary<String> extremeFrames() {
		return HostileFrames.arbitrary(HostileFrames::extreme);
	}

}
