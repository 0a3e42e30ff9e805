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

import dev.realtime.autoconfigure.RealtimeProperties.Retry;
import dev.realtime.autoconfigure.RealtimeProperties.Subscribers;
import dev.realtime.autoconfigure.RealtimeProperties.Timeouts;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.RealtimeTokenProvider;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
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
@AutoConfiguration
@ConditionalOnClass({ RealtimeClient.class, WebSocketClient.class })
@ConditionalOnBooleanProperty(name = "realtime.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RealtimeProperties.class)
public final class RealtimeAutoConfiguration {

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
		@ConditionalOnMissingBean
		RealtimeClient realtimeClient(RealtimeClientOptions options,
				@RealtimeTaskScheduler TaskScheduler realtimeTaskScheduler,
				ObjectProvider<RealtimeTokenProvider> tokenProvider,
				ObjectProvider<RealtimeClientCustomizer> customizers) {
			// Protocol timing is monotonic: the application's Clock stamps events and
			// health only, and a test that needs virtual time sets a Ticker through a
			// customizer
			RealtimeClient.Builder builder = RealtimeClient.builder(options).scheduler(realtimeTaskScheduler);
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
