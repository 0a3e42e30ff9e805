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

import java.util.Arrays;
import java.util.List;

import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.transport.TransportFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.type.MethodMetadata;

/**
 * Creates the client of each named connection that {@link NamedRealtimeClientsRegistrar}
 * registers, from the connection's effective properties: with a transport factory of its
 * own (its SSL bundle and send limits, on the container the application's connections
 * share) unless the application has a {@link TransportFactory} of its own, with the token
 * provider qualified with its name, on the realtime scheduler, and customized by every
 * {@link RealtimeClientCustomizer}.
 *
 * @author Realtime team
 */
class NamedRealtimeClientFactory {

	/** The name of the method that creates a client. */
	static final String CREATE_METHOD_NAME = "create";

	private final NamedConnections connections;

	private final RealtimeClientFactory clients;

	private final WebSocketTransportFactories transportFactories;

	private final @Nullable TransportFactory applicationTransportFactory;

	private final RealtimeTokenProviders tokenProviders;

	NamedRealtimeClientFactory(NamedConnections connections, RealtimeClientFactory clients,
			WebSocketTransportFactories transportFactories, @Nullable TransportFactory applicationTransportFactory,
			RealtimeTokenProviders tokenProviders) {
		this.connections = connections;
		this.clients = clients;
		this.transportFactories = transportFactories;
		this.applicationTransportFactory = applicationTransportFactory;
		this.tokenProviders = tokenProviders;
	}

	/**
	 * Create the client of a named connection.
	 * @param name the name of the connection
	 * @return its client
	 */
	RealtimeClient create(String name) {
		ConnectionProperties connection = this.connections.properties(name);
		RealtimeClientOptions options = PropertiesRealtimeClientOptions.of(connection,
				new PropertiesRealtimeConnectionDetails(connection));
		TransportFactory transportFactory = (this.applicationTransportFactory != null)
				? this.applicationTransportFactory : this.transportFactories.create(connection, options, null);
		return this.clients.create(connection, options, transportFactory, this.tokenProviders.forNamedConnection(name));
	}

	/**
	 * Return the application's own {@link TransportFactory}, which replaces the
	 * auto-configured transport of every connection: any but the one auto-configured for
	 * the connection of {@code realtime.*}.
	 * @param beanFactory the bean factory
	 * @return the application's transport factory, or {@code null}
	 */
	static @Nullable TransportFactory applicationTransportFactory(ConfigurableListableBeanFactory beanFactory) {
		List<String> names = Arrays.stream(beanFactory.getBeanNamesForType(TransportFactory.class))
			.filter((name) -> !isAutoConfigured(beanFactory, name))
			.toList();
		if (names.isEmpty()) {
			return null;
		}
		return (names.size() == 1) ? beanFactory.getBean(names.get(0), TransportFactory.class)
				: beanFactory.getBeanProvider(TransportFactory.class).getObject();
	}

	private static boolean isAutoConfigured(ConfigurableListableBeanFactory beanFactory, String name) {
		if (beanFactory.containsBeanDefinition(name)
				&& beanFactory.getBeanDefinition(name) instanceof AnnotatedBeanDefinition definition) {
			MethodMetadata factoryMethod = definition.getFactoryMethodMetadata();
			return factoryMethod != null && factoryMethod.getDeclaringClassName()
				.equals(RealtimeAutoConfiguration.RealtimeClientConfiguration.class.getName());
		}
		return false;
	}

}
