package org.geopigeon.service.store;

/**
 * Result of {@code geopigeon.verify_audit_chain()}.
 *
 * @param brokenId    id of the first row that breaks the chain, or null when intact
 * @param reason      why that row breaks it, or null
 * @param rowsChecked rows read (all rows when intact)
 */
public record ChainStatus(Long brokenId, String reason, long rowsChecked) {

    /** True when every row's hash chains to the previous one (no broken row found). */
    public boolean intact() {
        return brokenId == null;
    }
}
