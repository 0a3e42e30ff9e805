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

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * The properties of a JKS-style SSL bundle with an empty PKCS12 trust store: enough to
 * make a TLS context.
 */
final class EmptyTrustStoreBundle {

	private EmptyTrustStoreBundle() {
	}

	/**
	 * Write the trust store of the named bundle into the directory and return the
	 * bundle's properties.
	 * @param directory where to write the trust store
	 * @param name the name of the bundle
	 * @return the properties that declare the bundle
	 */
	static String[] properties(Path directory, String name) throws IOException, GeneralSecurityException {
		Path file = directory.resolve(name + ".p12");
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		try (OutputStream out = Files.newOutputStream(file)) {
			store.store(out, "secret".toCharArray());
		}
		String prefix = "spring.ssl.bundle.jks." + name + ".truststore.";
		return new String[] { prefix + "location=" + file.toUri(), prefix + "password=secret", prefix + "type=PKCS12" };
	}

}
