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

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import dev.realtime.autoconfigure.RealtimeProperties.Retry;
import dev.realtime.autoconfigure.RealtimeProperties.Subscribers;
import dev.realtime.autoconfigure.RealtimeProperties.Timeouts;
import dev.realtime.autoconfigure.RealtimeProperties.Transport;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.RealtimeTokenProvider;
import dev.realtime.client.transport.RealtimeWebSocketContainer;
import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.WebSocketTransportFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link RealtimeClient}.
 * <p>
 * Registers the following beans:
 * <ul>
 * <li>{@link RealtimeConnectionDetails} from {@link RealtimeProperties}, if there is no
 * other bean of the same type.</li>
 * <li>A {@link ThreadPoolTaskScheduler} qualified with {@link RealtimeTaskScheduler},
 * {@link RealtimeClientOptions} and a {@link RealtimeClient}, if there is no other
 * {@code RealtimeClient}. The scheduler is not a default candidate for injection, so the
 * application keeps its own {@code taskScheduler}.</li>
 * <li>A {@link TransportFactory} that opens the client's WebSockets, if there is no
 * other: with the application's single {@link WebSocketClient} bean if it has one, or
 * else on a {@link RealtimeWebSocketContainer} that the client's connections share and
 * that closes with the context. {@code realtime.ssl.bundle} names the SSL bundle of
 * {@code wss://} connections, unless the {@link RealtimeConnectionDetails} give one (a
 * container's, for example), which wins. Without a JSR-356 client container on the
 * classpath (Tomcat's), startup fails with an explanation of what to add.</li>
 * <li>For a single {@code RealtimeClient}, a lifecycle that connects it on start (if
 * {@code realtime.auto-connect} is set) and closes it gracefully on stop, and a listener
 * that publishes its state changes as
 * {@link dev.realtime.client.ConnectionStateChangedEvent ConnectionStateChangedEvents}
 * and the state changes of its channels as
 * {@link dev.realtime.client.ChannelStateChangedEvent ChannelStateChangedEvents}.</li>
 * </ul>
 *
 * @author Realtime team
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass({ RealtimeClient.class, WebSocketClient.class })
@ConditionalOnBooleanProperty(name = "realtime.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RealtimeProperties.class)
public final class RealtimeAutoConfiguration {

	/** The JSR-356 client container the default transport is made for. */
	static final String TOMCAT_WEB_SOCKET_CONTAINER = "org.apache.tomcat.websocket.WsWebSocketContainer";

	RealtimeAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	RealtimeConnectionDetails realtimeConnectionDetails(RealtimeProperties properties) {
		return new PropertiesRealtimeConnectionDetails(properties);
	}

	@Bean
	@ConditionalOnSingleCandidate(RealtimeClient.class)
	RealtimeClientLifecycle realtimeClientLifecycle(RealtimeClient client, RealtimeProperties properties) {
		return new RealtimeClientLifecycle(client, properties.isAutoConnect());
	}

	@Bean
	@ConditionalOnSingleCandidate(RealtimeClient.class)
	RealtimeStateEventPublisher realtimeStateEventPublisher(RealtimeClient client,
			ApplicationEventPublisher eventPublisher, ObjectProvider<Clock> clock) {
		return new RealtimeStateEventPublisher(client, eventPublisher, clock.getIfUnique(Clock::systemUTC));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(RealtimeClient.class)
	static class RealtimeClientConfiguration {

		@Bean(defaultCandidate = false)
		@RealtimeTaskScheduler
		@ConditionalOnMissingBean(name = "realtimeTaskScheduler")
		ThreadPoolTaskScheduler realtimeTaskScheduler(RealtimeProperties properties) {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setPoolSize(positive("realtime.scheduler.pool-size", properties.getScheduler().getPoolSize()));
			scheduler.setThreadNamePrefix("realtime-");
			// Keep running through the lifecycle stop phase, in which connections close;
			// then finish the tasks under way, briefly, and drop timers still pending
			scheduler.setWaitForTasksToCompleteOnShutdown(true);
			scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
			scheduler.setAwaitTerminationMillis(properties.getTimeouts().getRequest().toMillis());
			scheduler.setRemoveOnCancelPolicy(true);
			return scheduler;
		}

		@Bean
		@ConditionalOnMissingBean
		RealtimeClientOptions realtimeClientOptions(RealtimeProperties properties,
				RealtimeConnectionDetails connectionDetails) {
			Timeouts timeouts = properties.getTimeouts();
			Retry retry = properties.getRetry();
			Subscribers subscribers = properties.getSubscribers();
			URI url = connectionDetails.getUrl();
			String key = validKey(connectionDetails.getKey(), connectionDetails.getToken(), url,
					properties.isAllowKeyOverPlainWebSocket());
			return RealtimeClientOptions.builder(url)
				.key(key)
				.token(connectionDetails.getToken())
				.clientId(connectionDetails.getClientId())
				.echoMessages(properties.isEchoMessages())
				.connectTimeout(positive("realtime.timeouts.connect", timeouts.getConnect()))
				.requestTimeout(positive("realtime.timeouts.request", timeouts.getRequest()))
				.connectionStateTtl(positive("realtime.connection-state-ttl", properties.getConnectionStateTtl()))
				.retryInitialDelay(positive("realtime.retry.initial-delay", retry.getInitialDelay()))
				.retryMaxDelay(positive("realtime.retry.max-delay", retry.getMaxDelay()))
				.retryMaxAttempts(positiveIfSet("realtime.retry.max-attempts", retry.getMaxAttempts()))
				.retryResetAfter(notNegative("realtime.retry.reset-after", retry.getResetAfter()))
				.retrySuspendedInterval(positive("realtime.retry.suspended-interval", retry.getSuspendedInterval()))
				.retryChannelInterval(positive("realtime.retry.channel-interval", retry.getChannelInterval()))
				.queueCapacity(positive("realtime.queue.capacity", properties.getQueue().getCapacity()))
				.queueMaxSize(positive("realtime.queue.max-size", properties.getQueue().getMaxSize()))
				.queueSendWindow(positive("realtime.queue.send-window", properties.getQueue().getSendWindow()))
				.messageTtl(positiveIfSet("realtime.queue.message-ttl", properties.getQueue().getMessageTtl()))
				.subscriberBufferSize(positive("realtime.subscribers.buffer-size", subscribers.getBufferSize()))
				.subscriberMaxPause(positive("realtime.subscribers.max-pause", subscribers.getMaxPause()))
				.slowSubscriberPolicy(subscribers.getSlowPolicy())
				.attachOnSubscribe(properties.getChannels().isAttachOnSubscribe())
				.maxInboundFrameSize(positive("realtime.limits.max-inbound-frame-size",
						properties.getLimits().getMaxInboundFrameSize()))
				.recover(properties.getRecover())
				.build();
		}

		@Bean
		@ConditionalOnMissingBean(TransportFactory.class)
		WebSocketTransportFactory realtimeTransportFactory(RealtimeProperties properties, RealtimeClientOptions options,
				RealtimeConnectionDetails connectionDetails, ObjectProvider<WebSocketClient> webSocketClient,
				ObjectProvider<RealtimeWebSocketContainer> webSocketContainer, ObjectProvider<SslBundles> sslBundles) {
			Transport transport = properties.getTransport();
			Duration sendTimeLimit = (transport.getSendTimeLimit() != null)
					? positive("realtime.transport.send-time-limit", transport.getSendTimeLimit())
					: options.requestTimeout();
			DataSize sendBufferSize = (transport.getSendBufferSize() != null)
					? sendBufferSize(transport.getSendBufferSize(), options.queueSendWindow())
					: DataSize.ofBytes(options.queueSendWindow().toBytes() + DataSize.ofMegabytes(1).toBytes());
			// The connection details' bundle wins over the property, as in Spring Boot
			SslBundle connectionBundle = connectionDetails.getSslBundle();
			String bundleName = (connectionBundle != null) ? null : properties.getSsl().getBundle();
			WebSocketClient client = webSocketClient.getIfAvailable();
			if (client != null) {
				if (connectionBundle != null) {
					throw new IllegalStateException("The RealtimeConnectionDetails come with an SSL bundle, which the "
							+ "application's WebSocketClient bean cannot use: configure TLS on that client instead.");
				}
				if (bundleName != null) {
					throw new InvalidConfigurationPropertyValueException("realtime.ssl.bundle", bundleName,
							"The application's WebSocketClient bean opens the connections, and this property cannot "
									+ "configure it: configure TLS on that client, or remove the property.");
				}
			}
			else {
				RealtimeWebSocketContainer container = webSocketContainer.getIfAvailable();
				if (container == null) {
					throw new MissingWebSocketContainerException();
				}
				SSLContext sslContext = (connectionBundle != null) ? sslContext(connectionBundle, null)
						: (bundleName != null) ? sslContext(bundleName, sslBundles) : null;
				client = container.createClient(options.connectTimeout(), sslContext);
			}
			return new WebSocketTransportFactory(client, sendTimeLimit, sendBufferSize, options.maxInboundFrameSize());
		}

		@Bean
		@ConditionalOnMissingBean
		RealtimeClient realtimeClient(RealtimeClientOptions options,
				@RealtimeTaskScheduler TaskScheduler realtimeTaskScheduler, TransportFactory transportFactory,
				ObjectProvider<RealtimeTokenProvider> tokenProvider,
				ObjectProvider<RealtimeClientCustomizer> customizers) {
			// Protocol timing is monotonic: the application's Clock stamps events and
			// health only, and a test that needs virtual time sets a Ticker through a
			// customizer
			RealtimeClient.Builder builder = RealtimeClient.builder(options)
				.scheduler(realtimeTaskScheduler)
				.transportFactory(transportFactory);
			tokenProvider.ifUnique((provider) -> {
				if (options.key() != null) {
					throw new InvalidConfigurationPropertyValueException("realtime.key", "******",
							"A RealtimeTokenProvider bean cannot be used together with a key: remove one of them.");
				}
				// Takes precedence over a static realtime.token
				builder.tokenProvider(provider);
			});
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return builder.build();
		}

		/**
		 * The container the default transport shares between connections, closed with the
		 * context, which closes every WebSocket still open on it.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = { "jakarta.websocket.ContainerProvider", TOMCAT_WEB_SOCKET_CONTAINER })
		@ConditionalOnMissingBean({ TransportFactory.class, WebSocketClient.class })
		static class RealtimeWebSocketContainerConfiguration {

			@Bean
			@ConditionalOnMissingBean
			RealtimeWebSocketContainer realtimeWebSocketContainer() {
				return RealtimeWebSocketContainer.create();
			}

		}

	}

	/**
	 * Create the TLS context of the named bundle: its trust store decides which servers
	 * are trusted, and its key, if it has one, is the client certificate. The JSR-356
	 * client takes a context only, so a bundle that sets ciphers or enabled protocols is
	 * refused rather than silently weakened.
	 */
	private static SSLContext sslContext(String bundleName, ObjectProvider<SslBundles> sslBundles) {
		SslBundles bundles = sslBundles.getIfAvailable();
		if (bundles == null) {
			throw new InvalidConfigurationPropertyValueException("realtime.ssl.bundle", bundleName,
					"There are no SSL bundles: configure them under 'spring.ssl.bundle'.");
		}
		return sslContext(bundles.getBundle(bundleName), bundleName);
	}

	/**
	 * Create the TLS context of a bundle named in {@code realtime.ssl.bundle} or, without
	 * a name, of the connection details' bundle.
	 */
	private static SSLContext sslContext(SslBundle bundle, @Nullable String bundleName) {
		if (bundle.getOptions().isSpecified()) {
			String reason = "The bundle sets ciphers or enabled protocols, which the WebSocket client cannot apply: "
					+ "remove them from the bundle, or choose the protocol with the bundle's 'protocol'.";
			if (bundleName != null) {
				throw new InvalidConfigurationPropertyValueException("realtime.ssl.bundle", bundleName, reason);
			}
			throw new IllegalStateException("The SSL bundle of the RealtimeConnectionDetails: " + reason);
		}
		return bundle.createSslContext();
	}

	/**
	 * Check the send buffer: positive and larger than the send window, since a resend of
	 * the unacknowledged window after a reconnect must fit.
	 */
	private static DataSize sendBufferSize(DataSize value, DataSize sendWindow) {
		positive("realtime.transport.send-buffer-size", value);
		if (value.toBytes() <= sendWindow.toBytes()) {
			throw new InvalidConfigurationPropertyValueException("realtime.transport.send-buffer-size", value,
					"The size must be larger than realtime.queue.send-window (" + sendWindow + "), or a resend after "
							+ "a reconnect would overflow it.");
		}
		return value;
	}

	/**
	 * Check the key: {@code name:secret}, not together with a token, and over
	 * {@code ws://} only to a loopback host unless allowed [RSC18].
	 */
	private static @Nullable String validKey(@Nullable String key, @Nullable String token, URI url,
			boolean allowPlainWebSocket) {
		if (key == null) {
			return null;
		}
		int colon = key.indexOf(':');
		if (colon < 1 || colon == key.length() - 1) {
			throw new InvalidConfigurationPropertyValueException("realtime.key", "******",
					"The key must have the form 'name:secret' (for example 'app.key:secret').");
		}
		if (token != null) {
			throw new InvalidConfigurationPropertyValueException("realtime.token", "******",
					"A token cannot be used together with realtime.key: remove one of them.");
		}
		if ("ws".equalsIgnoreCase(url.getScheme()) && !isLoopback(url.getHost()) && !allowPlainWebSocket) {
			throw new InvalidConfigurationPropertyValueException("realtime.url", RealtimeClientOptions.redact(url),
					"A key would be sent in clear text over ws:// to a host that is not loopback. Use wss://, a "
							+ "token, or set realtime.allow-key-over-plain-web-socket=true.");
		}
		return key;
	}

	private static boolean isLoopback(@Nullable String host) {
		if (host == null) {
			return false;
		}
		String name = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		return name.equalsIgnoreCase("localhost") || name.startsWith("127.") || name.equals("::1");
	}

	private static Duration positive(String name, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "The duration must be positive.");
		}
		return value;
	}

	private static DataSize positive(String name, @Nullable DataSize value) {
		if (value == null || value.toBytes() < 1) {
			throw new InvalidConfigurationPropertyValueException(name, value, "The size must be positive.");
		}
		return value;
	}

	private static Duration notNegative(String name, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "The duration must not be negative.");
		}
		return value;
	}

	private static int positive(String name, int value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(name, value, "The value must be at least 1.");
		}
		return value;
	}

	private static @Nullable Integer positiveIfSet(String name, @Nullable Integer value) {
		return (value != null) ? positive(name, value) : null;
	}

	private static @Nullable Duration positiveIfSet(String name, @Nullable Duration value) {
		return (value != null) ? positive(name, value) : null;
	}

}
