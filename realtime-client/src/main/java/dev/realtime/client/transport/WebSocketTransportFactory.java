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

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * {@link TransportFactory} backed by Spring's {@link WebSocketClient}, by default a
 * {@link StandardWebSocketClient} on the JVM's
 * {@link RealtimeWebSocketContainer#jvmDefault() shared JSR-356 container}. Each
 * transport buffers its outbound frames, up to the send buffer size limit, and writes
 * them off the caller's thread, so a slow or stuck peer never blocks the caller: a frame
 * that does not fit, or a write that takes longer than the send time limit, closes the
 * transport and reports it dropped. The send time limit also bounds the close handshake
 * on a JSR-356 session.
 * <p>
 * Inbound frames larger than the container's message buffers (on the shared container,
 * {@value RealtimeWebSocketContainer#INITIAL_TEXT_BUFFER_SIZE} characters of text and, on
 * Tomcat's, {@value WebSocketTransport#INITIAL_BINARY_BUFFER_SIZE} bytes of binary at
 * first) arrive in parts and are put together by the transport, up to the largest inbound
 * frame size: a larger frame is rejected and closes the transport with {@code 1009}
 * (message too big), and the listener is told why. A connection whose frames arrived in
 * parts lets the container buffer frames of that size whole from then on, up to
 * {@value WebSocketTransport#MAX_TEXT_BUFFER_SIZE} characters of text or
 * {@value WebSocketTransport#MAX_BINARY_BUFFER_SIZE} bytes of binary.
 *
 * @author Realtime team
 */
public class WebSocketTransportFactory implements TransportFactory {

	/** The largest inbound frame by default. */
	static final DataSize DEFAULT_MAX_INBOUND_FRAME_SIZE = DataSize.ofMegabytes(1);

	private final WebSocketClient client;

	private final Duration sendTimeLimit;

	private final DataSize sendBufferSizeLimit;

	private final DataSize maxInboundFrameSize;

	/**
	 * Create a factory with a {@link StandardWebSocketClient} on the JVM's shared
	 * container whose handshake times out after the given duration, and the default
	 * largest inbound frame (1 MB).
	 * @param handshakeTimeout the handshake timeout
	 * @param sendTimeLimit how long one write may take before the transport is closed
	 * @param sendBufferSizeLimit how much outbound data may wait to be written before the
	 * transport is closed
	 */
	public WebSocketTransportFactory(Duration handshakeTimeout, Duration sendTimeLimit, DataSize sendBufferSizeLimit) {
		this(handshakeTimeout, sendTimeLimit, sendBufferSizeLimit, DEFAULT_MAX_INBOUND_FRAME_SIZE);
	}

	/**
	 * Create a factory with a {@link StandardWebSocketClient} on the JVM's shared
	 * container whose handshake times out after the given duration.
	 * @param handshakeTimeout the handshake timeout
	 * @param sendTimeLimit how long one write may take before the transport is closed
	 * @param sendBufferSizeLimit how much outbound data may wait to be written before the
	 * transport is closed
	 * @param maxInboundFrameSize the largest frame a transport reads; a larger one is
	 * rejected and closes the transport
	 */
	public WebSocketTransportFactory(Duration handshakeTimeout, Duration sendTimeLimit, DataSize sendBufferSizeLimit,
			DataSize maxInboundFrameSize) {
		this(RealtimeWebSocketContainer.jvmDefault().createClient(handshakeTimeout, null), sendTimeLimit,
				sendBufferSizeLimit, maxInboundFrameSize);
	}

	/**
	 * Create a factory with the given client.
	 * @param client the WebSocket client
	 * @param sendTimeLimit how long one write may take before the transport is closed
	 * @param sendBufferSizeLimit how much outbound data may wait to be written before the
	 * transport is closed
	 */
	public WebSocketTransportFactory(WebSocketClient client, Duration sendTimeLimit, DataSize sendBufferSizeLimit) {
		this(client, sendTimeLimit, sendBufferSizeLimit, DEFAULT_MAX_INBOUND_FRAME_SIZE);
	}

	/**
	 * Create a factory with the given client.
	 * @param client the WebSocket client
	 * @param sendTimeLimit how long one write may take before the transport is closed
	 * @param sendBufferSizeLimit how much outbound data may wait to be written before the
	 * transport is closed
	 * @param maxInboundFrameSize the largest frame a transport reads; a larger one is
	 * rejected and closes the transport
	 */
	public WebSocketTransportFactory(WebSocketClient client, Duration sendTimeLimit, DataSize sendBufferSizeLimit,
			DataSize maxInboundFrameSize) {
		this.client = client;
		this.sendTimeLimit = sendTimeLimit;
		this.sendBufferSizeLimit = sendBufferSizeLimit;
		this.maxInboundFrameSize = maxInboundFrameSize;
	}

	/**
	 * Return the WebSocket client that opens the transports.
	 * @return the client
	 */
	WebSocketClient client() {
		return this.client;
	}

	@Override
	public Transport open(URI uri, TransportListener listener) {
		WebSocketTransport transport = new WebSocketTransport(listener, this.sendTimeLimit,
				this.sendBufferSizeLimit.toBytes(), this.maxInboundFrameSize.toBytes());
		CompletableFuture<WebSocketSession> session = (this.client instanceof CredentialSafeWebSocketClient safe)
				? safe.connect(transport, new WebSocketHttpHeaders(), uri)
				: this.client.execute(transport, new WebSocketHttpHeaders(), uri);
		session.whenComplete((opened, failure) -> {
			if (failure != null) {
				transport.failedToOpen(failure);
			}
		});
		return transport;
	}

}
