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

package dev.realtime.client.transport;

import java.nio.channels.AsynchronousSocketChannel;

import javax.net.ssl.SSLContext;

import org.apache.tomcat.websocket.AsyncChannelWrapperNonSecure;
import org.apache.tomcat.websocket.AsyncChannelWrapperSecure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TomcatSockets} against the Tomcat on the classpath: it finds the
 * socket under both of Tomcat's channel wrappers, so that a Tomcat that renames their
 * fields fails here rather than leaving Nagle's algorithm on unnoticed. The plain wrapper
 * is also covered end to end by {@code WebSocketTransportTests}.
 *
 * @author Realtime team
 */
class TomcatSocketsTests {

	@Test
	void findsTheSocketUnderThePlainWrapper() throws Exception {
		try (AsynchronousSocketChannel socket = AsynchronousSocketChannel.open()) {
			assertThat(TomcatSockets.socketOfChannel(new AsyncChannelWrapperNonSecure(socket))).isSameAs(socket);
		}
	}

	@Test
	void findsTheSocketUnderTheTlsWrapper() throws Exception {
		try (AsynchronousSocketChannel socket = AsynchronousSocketChannel.open()) {
			AsyncChannelWrapperSecure wrapper = new AsyncChannelWrapperSecure(socket,
					SSLContext.getDefault().createSSLEngine());
			assertThat(TomcatSockets.socketOfChannel(wrapper)).isSameAs(socket);
		}
	}

	@Test
	void findsNothingUnderAnythingElse() {
		assertThat(TomcatSockets.socketOfChannel(new Object())).isNull();
		assertThat(TomcatSockets.socketOfChannel(null)).isNull();
	}

}
