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

package dev.realtime.test.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeConnectionDetails;
import dev.realtime.test.autoconfigure.AutoConfigureRealtimeServer.Replace;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.AotDetector;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.autoconfigure.container.ContainerImageMetadata;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.BoundPropertiesTrackingBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.Assert;

/**
 * Keeps one kind of {@link RealtimeConnectionDetails} in the context: the embedded
 * server's, or the others, as the {@link Replace} mode says. Runs once every bean
 * definition is known and before any bean is created, and removes the definitions that
 * lose.
 *
 * @author Realtime team
 */
class RealtimeConnectionDetailsReplacer implements BeanDefinitionRegistryPostProcessor, Ordered {

	private static final Log logger = LogFactory.getLog(RealtimeConnectionDetailsReplacer.class);

	private static final String DYNAMIC_VALUES_PROPERTY_SOURCE_CLASS = "org.springframework.test.context.support.DynamicValuesPropertySource";

	private final Environment environment;

	private final Replace replace;

	private final String embeddedBeanName;

	RealtimeConnectionDetailsReplacer(Environment environment, Replace replace, String embeddedBeanName) {
		this.environment = environment;
		this.replace = replace;
		this.embeddedBeanName = embeddedBeanName;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
		if (AotDetector.useGeneratedArtifacts()) {
			return; // the choice was made when the context was processed ahead of time
		}
		Assert.isInstanceOf(ConfigurableListableBeanFactory.class, registry,
				"'registry' must be a ConfigurableListableBeanFactory");
		ConfigurableListableBeanFactory beanFactory = (ConfigurableListableBeanFactory) registry;
		if (!registry.containsBeanDefinition(this.embeddedBeanName)) {
			return;
		}
		List<String> others = new ArrayList<>();
		for (String name : beanFactory.getBeanNamesForType(RealtimeConnectionDetails.class, true, false)) {
			if (!name.equals(this.embeddedBeanName) && registry.containsBeanDefinition(name)) {
				others.add(name);
			}
		}
		if (others.isEmpty()) {
			return;
		}
		List<String> replaced = others.stream()
			.filter((name) -> isReplaceable(registry.getBeanDefinition(name)))
			.toList();
		if (replaced.size() < others.size()) {
			logger.debug("Keeping " + others + " and not the embedded realtime server's connection details ("
					+ this.replace + ")");
			registry.removeBeanDefinition(this.embeddedBeanName);
			return;
		}
		for (String name : replaced) {
			log(name, registry.getBeanDefinition(name));
			registry.removeBeanDefinition(name);
		}
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
	}

	private boolean isReplaceable(BeanDefinition definition) {
		return switch (this.replace) {
			case ANY -> true;
			case AUTO_CONFIGURED -> isAutoConfigured(definition);
			case NON_TEST -> !isTestConnection(definition);
			case NONE -> false;
		};
	}

	private boolean isTestConnection(BeanDefinition definition) {
		return ContainerImageMetadata.isPresent(definition)
				|| (isAutoConfigured(definition) && isUrlFromDynamicPropertySource());
	}

	private static boolean isAutoConfigured(BeanDefinition definition) {
		if (definition instanceof AnnotatedBeanDefinition annotated) {
			MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
			return factoryMethod != null
					&& RealtimeAutoConfiguration.class.getName().equals(factoryMethod.getDeclaringClassName());
		}
		return false;
	}

	private boolean isUrlFromDynamicPropertySource() {
		List<ConfigurationProperty> bound = new ArrayList<>();
		Binder.get(this.environment, new BoundPropertiesTrackingBindHandler(bound::add))
			.bind("realtime.url", Bindable.of(String.class));
		return !bound.isEmpty() && bound.get(0).getOrigin() instanceof PropertySourceOrigin origin
				&& DYNAMIC_VALUES_PROPERTY_SOURCE_CLASS.equals(origin.getPropertySource().getClass().getName());
	}

	private void log(String name, BeanDefinition definition) {
		if (isAutoConfigured(definition)) {
			logger.debug("Replacing the auto-configured '" + name
					+ "' with the embedded realtime server's connection details");
		}
		else {
			logger.info("Replacing '" + name + "' (" + description(definition)
					+ ") with the embedded realtime server's connection details");
		}
	}

	private static @Nullable String description(BeanDefinition definition) {
		String description = definition.getResourceDescription();
		return (description != null) ? description : definition.getBeanClassName();
	}

}
