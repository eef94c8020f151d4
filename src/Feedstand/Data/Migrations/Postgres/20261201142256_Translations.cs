using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Feedstand.Data.Migrations.Postgres
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
                    entry_id = table.Column<long>(type: "bigint", nullable: false),
                    language = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: false),
                    source_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    source_language = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: true),
                    is_same_language = table.Column<bool>(type: "boolean", nullable: false),
                    title = table.Column<string>(type: "text", nullable: true),
                    summary_html = table.Column<string>(type: "text", nullable: true),
                    content_html = table.Column<string>(type: "text", nullable: true),
                    translated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    language = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: false),
                    html = table.Column<string>(type: "text", nullable: true),
                    source_characters = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_translated_blocks", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "translation_engine_states",
                columns: table => new
                {
                    engine = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    blocked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    consecutive_failures = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    last_error_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_success_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_translation_engine_states", x => x.engine);
                });

            migrationBuilder.CreateTable(
                name: "translation_targets",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    feed_id = table.Column<long>(type: "bigint", nullable: true),
                    language = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: false)
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
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    feed_id = table.Column<long>(type: "bigint", nullable: false),
                    characters = table.Column<long>(type: "bigint", nullable: false),
                    requests = table.Column<int>(type: "integer", nullable: false)
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
