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

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.realtime.client.RealtimeClient;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The {@link RealtimeClient} beans of an application, by the {@link RealtimeClient#name()
 * names} of their connections: {@code default} for the client of {@code realtime.*}, and
 * the name of each named connection of {@code realtime.connections}. For the
 * auto-configurations that manage or report on every connection.
 *
 * @author Realtime team
 */
public final class RealtimeClients {

	private RealtimeClients() {
	}

	/**
	 * Return every {@link RealtimeClient} bean by the name of its connection, in the
	 * order the beans were defined.
	 * @param beanFactory the bean factory that holds the clients
	 * @return the clients by name
	 * @throws IllegalStateException if two clients have the same name
	 */
	public static Map<String, RealtimeClient> byConnectionName(ListableBeanFactory beanFactory) {
		Map<String, RealtimeClient> clients = new LinkedHashMap<>();
		Map<String, String> beanNames = new HashMap<>();
		beanFactory.getBeansOfType(RealtimeClient.class).forEach((beanName, client) -> {
			String other = beanNames.putIfAbsent(client.name(), beanName);
			if (other != null) {
				throw new IllegalStateException("The RealtimeClient beans '" + other + "' and '" + beanName
						+ "' are both named '" + client.name() + "', but each connection needs a name of its own: "
						+ "name a client with RealtimeClientOptions.Builder.name(…), or rename the connection "
						+ "under realtime.connections.");
			}
			clients.put(client.name(), client);
		});
		return Collections.unmodifiableMap(clients);
	}

}
