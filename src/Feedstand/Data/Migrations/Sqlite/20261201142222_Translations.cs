using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Feedstand.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Translations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "entry_translations",
                columns: table => new
                {
                    entry_id = table.Column<long>(type: "INTEGER", nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    source_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    source_language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: true),
                    is_same_language = table.Column<bool>(type: "INTEGER", nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: true),
                    summary_html = table.Column<string>(type: "TEXT", nullable: true),
                    content_html = table.Column<string>(type: "TEXT", nullable: true),
                    translated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_entry_translations", x => new { x.entry_id, x.language });
                    table.ForeignKey(
                        name: "FK_entry_translations_entries_entry_id",
                        column: x => x.entry_id,
                        principalTable: "entries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "translated_blocks",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    html = table.Column<string>(type: "TEXT", nullable: true),
                    source_characters = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_translated_blocks", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "translation_engine_states",
                columns: table => new
                {
                    engine = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    blocked_until = table.Column<long>(type: "INTEGER", nullable: true),
                    consecutive_failures = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", nullable: true),
                    last_error_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_success_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_translation_engine_states", x => x.engine);
                });

            migrationBuilder.CreateTable(
                name: "translation_targets",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    feed_id = table.Column<long>(type: "INTEGER", nullable: true),
                    language = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_translation_targets", x => x.id);
                    table.ForeignKey(
                        name: "FK_translation_targets_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "translation_usage",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    feed_id = table.Column<long>(type: "INTEGER", nullable: false),
                    characters = table.Column<long>(type: "INTEGER", nullable: false),
                    requests = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_translation_usage", x => new { x.day, x.feed_id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_translation_targets_feed_id_language",
                table: "translation_targets",
                columns: new[] { "feed_id", "language" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "entry_translations");

            migrationBuilder.DropTable(
                name: "translated_blocks");

            migrationBuilder.DropTable(
                name: "translation_engine_states");

            migrationBuilder.DropTable(
                name: "translation_targets");

            migrationBuilder.DropTable(
                name: "translation_usage");
        }
    }
}
