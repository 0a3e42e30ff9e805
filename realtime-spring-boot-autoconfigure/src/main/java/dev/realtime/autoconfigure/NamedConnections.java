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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.BoundPropertiesTrackingBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * The named connections of {@code realtime.connections}: their names, in the order they
 * were configured, and the effective properties of each, the values of {@code realtime.*}
 * overlaid with its own {@code realtime.connections.<name>.*}. A connection inherits
 * every value it does not set itself, nested ones one by one (a connection that sets
 * {@code timeouts.connect} keeps the inherited {@code timeouts.request}), but the
 * recovery key, which belongs to one connection.
 *
 * @author Realtime team
 */
final class NamedConnections {

	/** The prefix of the named connections' properties. */
	static final String PREFIX = "realtime.connections";

	private static final ConfigurationPropertyName DEFAULTS = ConfigurationPropertyName.of("realtime");

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

	private final Binder binder;

	private final Set<String> names;

	private NamedConnections(Binder binder, Set<String> names) {
		this.binder = binder;
		this.names = names;
	}

	/**
	 * Return the named connections that the environment configures.
	 * @param environment the environment
	 * @return the named connections, perhaps none
	 * @throws InvalidConfigurationPropertyValueException for a name that is not lower
	 * case letters, digits and dashes
	 */
	static NamedConnections of(Environment environment) {
		Binder binder = Binder.get(environment);
		Set<String> names = new LinkedHashSet<>(
				binder.bind(PREFIX, Bindable.mapOf(String.class, Object.class)).orElse(Map.of()).keySet());
		for (String name : names) {
			if (!NAME.matcher(name).matches()) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "." + name, name,
						"The name of a connection must be lower case letters, digits and dashes, such as 'eu-west'.");
			}
		}
		return new NamedConnections(binder, Collections.unmodifiableSet(names));
	}

	Set<String> names() {
		return this.names;
	}

	boolean isEmpty() {
		return this.names.isEmpty();
	}

	boolean contains(String name) {
		return this.names.contains(name);
	}

	/**
	 * Bind the effective properties of the named connection.
	 * @param name the name of the connection
	 * @return its properties, each reported under the property that set it, or under the
	 * connection's own prefix if neither set it
	 */
	ConnectionProperties properties(String name) {
		ConfigurationPropertyName prefix = ConfigurationPropertyName.of(PREFIX).append(name);
		RealtimeConnectionProperties properties = new RealtimeConnectionProperties();
		Set<ConfigurationPropertyName> inherited = new HashSet<>();
		Set<ConfigurationPropertyName> own = new HashSet<>();
		this.binder.bind(DEFAULTS, Bindable.ofInstance(properties),
				new BoundPropertiesTrackingBindHandler((property) -> inherited.add(property.getName())));
		properties.setRecover(null);
		this.binder.bind(prefix, Bindable.ofInstance(properties),
				new BoundPropertiesTrackingBindHandler((property) -> own.add(property.getName())));
		return new ConnectionProperties(name, properties, (key) -> {
			ConfigurationPropertyName ownName = prefix.append(key);
			ConfigurationPropertyName inheritedName = DEFAULTS.append(key);
			boolean isInherited = !own.contains(ownName) && inherited.contains(inheritedName);
			return (isInherited ? inheritedName : ownName).toString();
		});
	}

}
