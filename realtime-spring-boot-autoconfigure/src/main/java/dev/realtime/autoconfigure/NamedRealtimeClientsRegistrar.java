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

import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.Assert;

/**
 * Registers a {@link RealtimeClient} for each named connection of
 * {@code realtime.connections}: named {@code <name>RealtimeClient}, qualified with the
 * name of the connection, and created by the {@link NamedRealtimeClientFactory}. A named
 * client is a fallback candidate for injection, so the client of {@code realtime.*} (or
 * the application's own), if there is one, is what an unqualified injection point gets.
 * <p>
 * Imported after the client of {@code realtime.*} has been registered, so that the named
 * clients do not switch it off, and so that a named connection cannot take its name,
 * {@value RealtimeClientOptions#DEFAULT_NAME}.
 *
 * @author Realtime team
 */
class NamedRealtimeClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	/** The name of the bean that creates the named clients. */
	static final String FACTORY_BEAN_NAME = "namedRealtimeClientFactory";

	/** The name of the bean of the client of {@code realtime.*}. */
	static final String UNNAMED_CLIENT_BEAN_NAME = "realtimeClient";

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Assert.state(this.environment != null, "No environment");
		for (String name : NamedConnections.of(this.environment).names()) {
			String property = NamedConnections.PREFIX + "." + name;
			if (RealtimeClientOptions.DEFAULT_NAME.equals(name)
					&& registry.containsBeanDefinition(UNNAMED_CLIENT_BEAN_NAME)) {
				throw new InvalidConfigurationPropertyValueException(property, name,
						"The connection of realtime.* is named '" + name + "': give this one another name.");
			}
			String beanName = name + "RealtimeClient";
			if (registry.containsBeanDefinition(beanName)) {
				throw new InvalidConfigurationPropertyValueException(property, name, "The client of this connection "
						+ "would be the bean '" + beanName + "', and there is a bean of that name already.");
			}
			registry.registerBeanDefinition(beanName, definition(name));
		}
	}

	private static RootBeanDefinition definition(String name) {
		RootBeanDefinition definition = new RootBeanDefinition();
		definition.setTargetType(RealtimeClient.class);
		definition.setFactoryBeanName(FACTORY_BEAN_NAME);
		definition.setFactoryMethodName(NamedRealtimeClientFactory.CREATE_METHOD_NAME);
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		definition.setFallback(true);
		definition.setDescription("The client of the named realtime connection '" + name + "'");
		return definition;
	}

}
