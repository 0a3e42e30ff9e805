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

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Checks of property values that reject a bad one at startup with a message that names
 * the property.
 *
 * @author Realtime team
 */
final class PropertyChecks {

	private PropertyChecks() {
	}

	static Duration positive(String name, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "The duration must be positive.");
		}
		return value;
	}

	static DataSize positive(String name, @Nullable DataSize value) {
		if (value == null || value.toBytes() < 1) {
			throw new InvalidConfigurationPropertyValueException(name, value, "The size must be positive.");
		}
		return value;
	}

	static int positive(String name, int value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(name, value, "The value must be at least 1.");
		}
		return value;
	}

	static Duration notNegative(String name, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "The duration must not be negative.");
		}
		return value;
	}

	static @Nullable Integer positiveIfSet(String name, @Nullable Integer value) {
		return (value != null) ? positive(name, value) : null;
	}

	static @Nullable Duration positiveIfSet(String name, @Nullable Duration value) {
		return (value != null) ? positive(name, value) : null;
	}

}
