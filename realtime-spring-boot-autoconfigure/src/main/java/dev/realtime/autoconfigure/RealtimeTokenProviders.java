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
import java.util.Set;

import dev.realtime.client.RealtimeTokenProvider;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Finds the {@link RealtimeTokenProvider} bean of each auto-configured connection. A
 * provider qualified with the name of a named connection ({@code @Qualifier("orders")})
 * serves that connection; the application's only other provider (or its primary one)
 * serves the connection of {@code realtime.*}.
 *
 * @author Realtime team
 */
final class RealtimeTokenProviders {

	private final ConfigurableListableBeanFactory beanFactory;

	private final Set<String> namedConnections;

	RealtimeTokenProviders(ConfigurableListableBeanFactory beanFactory, Set<String> namedConnections) {
		this.beanFactory = beanFactory;
		this.namedConnections = namedConnections;
	}

	/**
	 * Return the provider of the connection of {@code realtime.*}.
	 * @return the provider, or {@code null} if there is none, or no single one
	 */
	@Nullable RealtimeTokenProvider forUnnamedConnection() {
		List<String> candidates = Arrays.stream(this.beanFactory.getBeanNamesForType(RealtimeTokenProvider.class))
			.filter((name) -> !BeanFactoryAnnotationUtils.isQualifierMatch(this.namedConnections::contains, name,
					this.beanFactory))
			.toList();
		if (candidates.size() == 1) {
			return this.beanFactory.getBean(candidates.get(0), RealtimeTokenProvider.class);
		}
		List<String> primary = candidates.stream()
			.filter((name) -> this.beanFactory.containsBeanDefinition(name)
					&& this.beanFactory.getBeanDefinition(name).isPrimary())
			.toList();
		return (primary.size() == 1) ? this.beanFactory.getBean(primary.get(0), RealtimeTokenProvider.class) : null;
	}

	/**
	 * Return the provider of a named connection: the one qualified with its name.
	 * @param name the name of the connection
	 * @return the provider, or {@code null} if there is none
	 */
	@Nullable RealtimeTokenProvider forNamedConnection(String name) {
		try {
			return BeanFactoryAnnotationUtils.qualifiedBeanOfType(this.beanFactory, RealtimeTokenProvider.class, name);
		}
		catch (NoSuchBeanDefinitionException ex) {
			return null;
		}
	}

}
