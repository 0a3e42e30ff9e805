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

import java.time.Clock;
import java.util.List;

import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.transport.RealtimeWebSocketContainer;
import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.WebSocketTransportFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.client.WebSocketClient;

import static dev.realtime.autoconfigure.PropertyChecks.positive;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link RealtimeClient}.
 * <p>
 * Registers the following beans:
 * <ul>
 * <li>{@link RealtimeConnectionDetails} from {@link RealtimeProperties}, if there is no
 * other bean of the same type.</li>
 * <li>{@link RealtimeClientOptions} and a {@link RealtimeClient} for the connection of
 * {@code realtime.*}, named {@code default}, if there is no other {@code RealtimeClient},
 * and unless only named connections are configured.</li>
 * <li>A {@code RealtimeClient} named {@code <name>RealtimeClient} and qualified with the
 * name for each named connection of {@code realtime.connections.<name>}, which inherits
 * the settings of {@code realtime.*} it does not set itself (see
 * {@link NamedConnections}).</li>
 * <li>A {@link ThreadPoolTaskScheduler} qualified with {@link RealtimeTaskScheduler} that
 * the auto-configured clients share. It is not a default candidate for injection, so the
 * application keeps its own {@code taskScheduler}.</li>
 * <li>A {@link TransportFactory} that opens the WebSockets of the client of
 * {@code realtime.*}, if there is no other: with the application's single
 * {@link WebSocketClient} bean if it has one, or else on a
 * {@link RealtimeWebSocketContainer} that the application's connections share and that
 * closes with the context. {@code realtime.ssl.bundle} names the SSL bundle of
 * {@code wss://} connections, unless the {@link RealtimeConnectionDetails} give one (a
 * container's, for example), which wins. Each named connection opens its WebSockets the
 * same way, with its own SSL bundle and send limits, or with the application's
 * {@code TransportFactory}. Without a JSR-356 client container on the classpath
 * (Tomcat's), startup fails with an explanation of what to add.</li>
 * <li>For every {@code RealtimeClient}, a lifecycle that connects it on start (if its
 * connection's {@code auto-connect} is set) and closes it gracefully on stop, and a
 * listener that publishes its state changes as
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
	@Conditional(UnnamedConnectionCondition.class)
	RealtimeConnectionDetails realtimeConnectionDetails(RealtimeProperties properties) {
		return new PropertiesRealtimeConnectionDetails(ConnectionProperties.unnamed(properties));
	}

	@Bean
	RealtimeClientLifecycle realtimeClientLifecycle(ListableBeanFactory beanFactory, RealtimeProperties properties,
			Environment environment) {
		NamedConnections namedConnections = NamedConnections.of(environment);
		return new RealtimeClientLifecycle(clients(beanFactory), (client) -> namedConnections.contains(client.name())
				? namedConnections.properties(client.name()).get().isAutoConnect() : properties.isAutoConnect());
	}

	@Bean
	RealtimeStateEventPublisher realtimeStateEventPublisher(ListableBeanFactory beanFactory,
			ApplicationEventPublisher eventPublisher, ObjectProvider<Clock> clock) {
		return new RealtimeStateEventPublisher(clients(beanFactory), eventPublisher,
				clock.getIfUnique(Clock::systemUTC));
	}

	private static List<RealtimeClient> clients(ListableBeanFactory beanFactory) {
		return List.copyOf(RealtimeClients.byConnectionName(beanFactory).values());
	}

	/**
	 * The auto-configured clients: that of {@code realtime.*} and, registered after it,
	 * those of the named connections.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(AutoConfiguredRealtimeClientsCondition.class)
	@Import(NamedRealtimeClientsRegistrar.class)
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
		@Conditional(UnnamedRealtimeClientCondition.class)
		RealtimeClientOptions realtimeClientOptions(RealtimeProperties properties,
				RealtimeConnectionDetails connectionDetails) {
			return PropertiesRealtimeClientOptions.of(ConnectionProperties.unnamed(properties), connectionDetails);
		}

		@Bean
		@ConditionalOnMissingBean(TransportFactory.class)
		@Conditional(UnnamedRealtimeClientCondition.class)
		WebSocketTransportFactory realtimeTransportFactory(RealtimeProperties properties, RealtimeClientOptions options,
				RealtimeConnectionDetails connectionDetails, ObjectProvider<WebSocketClient> webSocketClient,
				ObjectProvider<RealtimeWebSocketContainer> webSocketContainer, ObjectProvider<SslBundles> sslBundles) {
			return new WebSocketTransportFactories(webSocketClient, webSocketContainer, sslBundles)
				.create(ConnectionProperties.unnamed(properties), options, connectionDetails.getSslBundle());
		}

		@Bean
		@ConditionalOnMissingBean
		@Conditional(UnnamedRealtimeClientCondition.class)
		RealtimeClient realtimeClient(RealtimeProperties properties, RealtimeClientOptions options,
				@RealtimeTaskScheduler TaskScheduler realtimeTaskScheduler, TransportFactory transportFactory,
				ConfigurableListableBeanFactory beanFactory, Environment environment,
				ObjectProvider<RealtimeClientCustomizer> customizers) {
			RealtimeTokenProviders tokenProviders = new RealtimeTokenProviders(beanFactory,
					NamedConnections.of(environment).names());
			return new RealtimeClientFactory(realtimeTaskScheduler, customizers).create(
					ConnectionProperties.unnamed(properties), options, transportFactory,
					tokenProviders.forUnnamedConnection());
		}

		@Bean
		@Conditional(NamedConnectionsCondition.class)
		NamedRealtimeClientFactory namedRealtimeClientFactory(Environment environment,
				ConfigurableListableBeanFactory beanFactory, @RealtimeTaskScheduler TaskScheduler realtimeTaskScheduler,
				ObjectProvider<WebSocketClient> webSocketClient,
				ObjectProvider<RealtimeWebSocketContainer> webSocketContainer, ObjectProvider<SslBundles> sslBundles,
				ObjectProvider<RealtimeClientCustomizer> customizers) {
			NamedConnections connections = NamedConnections.of(environment);
			return new NamedRealtimeClientFactory(connections,
					new RealtimeClientFactory(realtimeTaskScheduler, customizers),
					new WebSocketTransportFactories(webSocketClient, webSocketContainer, sslBundles),
					NamedRealtimeClientFactory.applicationTransportFactory(beanFactory),
					new RealtimeTokenProviders(beanFactory, connections.names()));
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

}
