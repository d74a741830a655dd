/** Batch geolocation and gallery building on Apache Spark. */
package org.geopigeon.spark;
