using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Feedstand.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FullText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "entry_full_text",
                columns: table => new
                {
                    entry_id = table.Column<long>(type: "bigint", nullable: false),
                    feed_id = table.Column<long>(type: "bigint", nullable: false),
                    source_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    content_html = table.Column<string>(type: "text", nullable: true),
                    page_words = table.Column<int>(type: "integer", nullable: false),
                    teaser_words = table.Column<int>(type: "integer", nullable: false),
                    fetched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    error_kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    e_tag = table.Column<string>(type: "text", nullable: true),
                    last_modified = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_entry_full_text", x => x.entry_id);
                    table.ForeignKey(
                        name: "FK_entry_full_text_entries_entry_id",
                        column: x => x.entry_id,
                        principalTable: "entries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "feed_full_text",
                columns: table => new
                {
                    feed_id = table.Column<long>(type: "bigint", nullable: false),
                    mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    css_selector = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    is_summary_only = table.Column<bool>(type: "boolean", nullable: true),
                    judged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    verdict = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    cap_day = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    pages_fetched_that_day = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feed_full_text", x => x.feed_id);
                    table.ForeignKey(
                        name: "FK_feed_full_text_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_entry_full_text_feed_id_fetched_at",
                table: "entry_full_text",
                columns: new[] { "feed_id", "fetched_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "entry_full_text");

            migrationBuilder.DropTable(
                name: "feed_full_text");
        }
    }
}
