package dev.freshet.control.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One node setting changed through the API (for example the global rate limits), kept across restarts. */
@Entity
@Table(name = "SETTING")
public class SettingRecord {
    @Id
    @Column(name = "NAME", length = 128)
    private String name;
    @Column(name = "SETTING_VALUE", length = 4096)
    private String value;

    protected SettingRecord() {
    }

    public SettingRecord(String name, String value) {
        this.name = name;
        this.value = value;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    public void value(String value) {
        this.value = value;
    }
}
