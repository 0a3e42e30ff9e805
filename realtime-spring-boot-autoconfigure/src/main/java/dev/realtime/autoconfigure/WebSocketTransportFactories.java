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

package dev.realtime.autoconfigure;

import java.time.Duration;

import javax.net.ssl.SSLContext;

import dev.realtime.autoconfigure.RealtimeConnectionProperties.Transport;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.transport.RealtimeWebSocketContainer;
import dev.realtime.client.transport.WebSocketTransportFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.client.WebSocketClient;

import static dev.realtime.autoconfigure.PropertyChecks.positive;

/**
 * Creates the {@link WebSocketTransportFactory} of a connection from its properties: its
 * send limits and the SSL bundle of its {@code wss://} connections. The connections open
 * on the application's single {@link WebSocketClient} bean if it has one, or else on the
 * {@link RealtimeWebSocketContainer} the application's connections share.
 *
 * @author Realtime team
 */
final class WebSocketTransportFactories {

	private final ObjectProvider<WebSocketClient> webSocketClient;

	private final ObjectProvider<RealtimeWebSocketContainer> webSocketContainer;

	private final ObjectProvider<SslBundles> sslBundles;

	WebSocketTransportFactories(ObjectProvider<WebSocketClient> webSocketClient,
			ObjectProvider<RealtimeWebSocketContainer> webSocketContainer, ObjectProvider<SslBundles> sslBundles) {
		this.webSocketClient = webSocketClient;
		this.webSocketContainer = webSocketContainer;
		this.sslBundles = sslBundles;
	}

	/**
	 * Create the transport factory of a connection.
	 * @param connection the properties of the connection
	 * @param options its options
	 * @param connectionBundle the SSL bundle of its connection details, which wins over
	 * the {@code ssl.bundle} property as in Spring Boot, or {@code null}
	 * @return the transport factory
	 * @throws InvalidConfigurationPropertyValueException for a bad value
	 * @throws MissingWebSocketContainerException without a container or a
	 * {@link WebSocketClient} bean to open connections with
	 */
	WebSocketTransportFactory create(ConnectionProperties connection, RealtimeClientOptions options,
			@Nullable SslBundle connectionBundle) {
		Transport transport = connection.get().getTransport();
		Duration sendTimeLimit = (transport.getSendTimeLimit() != null)
				? positive(connection.propertyName("transport.send-time-limit"), transport.getSendTimeLimit())
				: options.requestTimeout();
		DataSize sendBufferSize = (transport.getSendBufferSize() != null)
				? sendBufferSize(connection, transport.getSendBufferSize(), options.queueSendWindow())
				: DataSize.ofBytes(options.queueSendWindow().toBytes() + DataSize.ofMegabytes(1).toBytes());
		String bundleName = (connectionBundle != null) ? null : connection.get().getSsl().getBundle();
		WebSocketClient client = this.webSocketClient.getIfAvailable();
		if (client != null) {
			if (connectionBundle != null) {
				throw new IllegalStateException("The RealtimeConnectionDetails come with an SSL bundle, which the "
						+ "application's WebSocketClient bean cannot use: configure TLS on that client instead.");
			}
			if (bundleName != null) {
				throw new InvalidConfigurationPropertyValueException(connection.propertyName("ssl.bundle"), bundleName,
						"The application's WebSocketClient bean opens the connections, and this property cannot "
								+ "configure it: configure TLS on that client, or remove the property.");
			}
		}
		else {
			RealtimeWebSocketContainer container = this.webSocketContainer.getIfAvailable();
			if (container == null) {
				throw new MissingWebSocketContainerException();
			}
			SSLContext sslContext = (connectionBundle != null) ? sslContext(connectionBundle, null, null)
					: (bundleName != null) ? sslContext(connection, bundleName) : null;
			client = container.createClient(options.connectTimeout(), sslContext);
		}
		return new WebSocketTransportFactory(client, sendTimeLimit, sendBufferSize, options.maxInboundFrameSize());
	}

	/**
	 * Create the TLS context of the named bundle: its trust store decides which servers
	 * are trusted, and its key, if it has one, is the client certificate. The JSR-356
	 * client takes a context only, so a bundle that sets ciphers or enabled protocols is
	 * refused rather than silently weakened.
	 */
	private SSLContext sslContext(ConnectionProperties connection, String bundleName) {
		SslBundles bundles = this.sslBundles.getIfAvailable();
		if (bundles == null) {
			throw new InvalidConfigurationPropertyValueException(connection.propertyName("ssl.bundle"), bundleName,
					"There are no SSL bundles: configure them under 'spring.ssl.bundle'.");
		}
		return sslContext(bundles.getBundle(bundleName), connection.propertyName("ssl.bundle"), bundleName);
	}

	/**
	 * Create the TLS context of a bundle named by the given property or, without a name,
	 * of the connection details' bundle.
	 */
	private static SSLContext sslContext(SslBundle bundle, @Nullable String propertyName, @Nullable String bundleName) {
		if (bundle.getOptions().isSpecified()) {
			String reason = "The bundle sets ciphers or enabled protocols, which the WebSocket client cannot apply: "
					+ "remove them from the bundle, or choose the protocol with the bundle's 'protocol'.";
			if (propertyName != null) {
				throw new InvalidConfigurationPropertyValueException(propertyName, bundleName, reason);
			}
			throw new IllegalStateException("The SSL bundle of the RealtimeConnectionDetails: " + reason);
		}
		return bundle.createSslContext();
	}

	/**
	 * Check the send buffer: positive and larger than the send window, since a resend of
	 * the unacknowledged window after a reconnect must fit.
	 */
	private static DataSize sendBufferSize(ConnectionProperties connection, DataSize value, DataSize sendWindow) {
		String name = connection.propertyName("transport.send-buffer-size");
		positive(name, value);
		if (value.toBytes() <= sendWindow.toBytes()) {
			throw new InvalidConfigurationPropertyValueException(name, value,
					"The size must be larger than " + connection.propertyName("queue.send-window") + " (" + sendWindow
							+ "), or a resend after a reconnect would overflow it.");
		}
		return value;
	}

}
