/** File bytes: the {@link ai.sentx.port.BlobStore} on S3 and on local disk. */
package ai.sentx.storage;
