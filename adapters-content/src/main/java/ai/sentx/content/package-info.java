/** What is inside a file: format detection, document reading and malware scanning adapters. */
package ai.sentx.content;
