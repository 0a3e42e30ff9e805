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
package dev.realtime.client.protocol;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a property: a check of many samples, each made up from a seeded random generator.
 * A run starts from a new seed, which a failure reports with its sample; the system
 * property {@code hostile.seed} replays a run, and {@code hostile.tries.factor} makes
 * every property check that many times as many samples, for a longer hunt. Public for the
 * property tests of other packages.
 */
public final class Tries {

	private Tries() {
	}

	/**
	 * Check the property for as many samples as tries.
	 * @param <T> the type of a sample
	 * @param tries how many samples to check
	 * @param samples makes up a sample
	 * @param property the check, which throws on failure
	 */
	public static <T> void check(int tries, Function<HostileFrames, T> samples, Consumer<T> property) {
		long seed = Long.getLong("hostile.seed", System.nanoTime());
		SplittableRandom random = new SplittableRandom(seed);
		tries *= Integer.getInteger("hostile.tries.factor", 1);
		for (int i = 0; i < tries; i++) {
			T sample = samples.apply(new HostileFrames(random));
			try {
				property.accept(sample);
			}
			catch (AssertionError | RuntimeException ex) {
				throw new AssertionError("Failed on try " + (i + 1) + " of " + tries + " (replay with -Dhostile.seed="
						+ seed + ") with " + abbreviate(String.valueOf(sample)) + ": " + ex.getMessage(), ex);
			}
		}
	}

	private static String abbreviate(String text) {
		return (text.length() <= 2000) ? text : text.substring(0, 2000) + "... (" + text.length() + " chars)";
	}

}
